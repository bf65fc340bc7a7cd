/*
 * parser.y - the sgl grammar. Every action is one AST constructor call.
 *
 * The grammar is generic on purpose: a block is `kind name { items }` for
 * every kind, so adding a block kind touches the checker's schema tables,
 * never this file. Error productions at item and bracket boundaries let a
 * single run report several syntax errors.
 */
%code requires {
#include "ast.h"
typedef void *yyscan_t;
struct parse_ctx;
}

%code provides {
int sgc_yylex(SGC_YYSTYPE *lval, SGC_YYLTYPE *lloc, yyscan_t scanner);
void sgc_yyerror(SGC_YYLTYPE *loc, yyscan_t scanner, struct parse_ctx *p,
		 const char *msg);
}

%code {
#include "parse.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
	do {                                                         \
		if (N) {                                             \
			(Cur).file = YYRHSLOC(Rhs, 1).file;          \
			(Cur).lo = YYRHSLOC(Rhs, 1).lo;              \
			(Cur).hi = YYRHSLOC(Rhs, N).hi;              \
		} else {                                             \
			(Cur).file = YYRHSLOC(Rhs, 0).file;          \
			(Cur).lo = (Cur).hi = YYRHSLOC(Rhs, 0).hi;   \
		}                                                    \
	} while (0)

/* Deep nesting is refused by the AST; this only bounds the parser stack. */
#define YYMAXDEPTH 2000
}

%define api.pure full
%define api.prefix {sgc_yy}
%define api.location.type {struct span}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {struct parse_ctx *p}
%expect 0

%initial-action {
	@$.file = p->b.file;
	@$.lo = @$.hi = 0;
}

%union {
	struct token tok;
	struct ast_item *item;
	struct ast_item_list items;
	struct ast_expr *expr;
	struct ast_expr_list exprs;
	struct ast_entry *entry;
	struct ast_entry_list entries;
	struct ast_name *name;
}

%token END 0 "end of file"
%token <tok> IDENT "identifier"
%token <tok> STRING "string"
%token <tok> INT "integer"
%token <tok> SIZE "size"
%token <tok> DURATION "duration"
%token <tok> CIDR "CIDR block"
%token <tok> INSTANCE "instance type"
%token <tok> INVALID "invalid literal"
%token <tok> IMPORT "import"
%token <tok> PARAM "param"
%token <tok> TRUE "true"
%token <tok> FALSE "false"
%token <tok> LBRACE "{"
%token <tok> RBRACE "}"
%token <tok> LBRACK "["
%token <tok> RBRACK "]"
%token <tok> LPAREN "("
%token <tok> RPAREN ")"
%token <tok> EQ "="
%token <tok> COLON ":"
%token <tok> COMMA ","
%token <tok> DOT "."
%token <tok> PLUS "+"
%token <tok> MINUS "-"
%token <tok> SEMI ";"

%type <items> items
%type <item> item
%type <expr> expr term
%type <exprs> elems expr_list
%type <entries> entries entry_list
%type <entry> entry
%type <name> name

%%

file
	: items                         { parse_finish(p, $1); }
	;

items
	: %empty                        { $$ = (struct ast_item_list){ 0 }; }
	| items item                    { $$ = ast_items_append($1, $2); }
	| items SEMI                    { $$ = $1; }
	| items error                   { $$ = $1; }
	;

item
	: IMPORT name                   { $$ = ast_import(&p->b, @$, $2); }
	| IDENT EQ expr                 { $$ = ast_attr(&p->b, @$, $1, $3); }
	| PARAM IDENT COLON IDENT       { $$ = ast_param(&p->b, @$, $2, $4, NULL); }
	| PARAM IDENT COLON IDENT EQ expr { $$ = ast_param(&p->b, @$, $2, $4, $6); }
	| IDENT LBRACE items RBRACE     { $$ = ast_block(&p->b, @$, $1, NULL, $3, @4); }
	| IDENT IDENT LBRACE items RBRACE { $$ = ast_block(&p->b, @$, $1, &$2, $4, @5); }
	;

expr
	: term                          { $$ = $1; }
	| expr PLUS term                { $$ = ast_binary(&p->b, @$, '+', $1, $3); }
	| expr MINUS term               { $$ = ast_binary(&p->b, @$, '-', $1, $3); }
	;

term
	: STRING                        { $$ = ast_string(&p->b, $1); }
	| INT                           { $$ = ast_int(&p->b, $1); }
	| SIZE                          { $$ = ast_size(&p->b, $1); }
	| DURATION                      { $$ = ast_duration(&p->b, $1); }
	| CIDR                          { $$ = ast_cidr(&p->b, $1); }
	| INSTANCE                      { $$ = ast_instance(&p->b, $1); }
	| INVALID                       { $$ = ast_invalid(&p->b, @1); }
	| TRUE                          { $$ = ast_bool(&p->b, @1, true); }
	| FALSE                         { $$ = ast_bool(&p->b, @1, false); }
	| name                          { $$ = ast_ref(&p->b, $1); }
	| name LPAREN elems RPAREN      { $$ = ast_call(&p->b, @$, $1, $3); }
	| LBRACK elems RBRACK           { $$ = ast_list(&p->b, @$, $2); }
	| LBRACE entries RBRACE         { $$ = ast_map(&p->b, @$, $2); }
	| LPAREN expr RPAREN            { $$ = ast_paren(&p->b, $2); }
	| LBRACK error RBRACK           { $$ = ast_invalid(&p->b, @$); }
	| LBRACE error RBRACE           { $$ = ast_invalid(&p->b, @$); }
	| LPAREN error RPAREN           { $$ = ast_invalid(&p->b, @$); }
	;

name
	: IDENT                         { $$ = ast_name_new(&p->b, $1); }
	| PARAM                         { $$ = ast_name_new(&p->b, $1); }
	| name DOT IDENT                { $$ = ast_name_append(&p->b, $1, $3); }
	;

elems
	: %empty                        { $$ = (struct ast_expr_list){ 0 }; }
	| expr_list                     { $$ = $1; }
	| expr_list COMMA               { $$ = $1; }
	;

expr_list
	: expr                          { $$ = ast_exprs_append((struct ast_expr_list){ 0 }, $1); }
	| expr_list COMMA expr          { $$ = ast_exprs_append($1, $3); }
	;

entries
	: %empty                        { $$ = (struct ast_entry_list){ 0 }; }
	| entry_list                    { $$ = $1; }
	| entry_list COMMA              { $$ = $1; }
	;

entry_list
	: entry                         { $$ = ast_entries_append((struct ast_entry_list){ 0 }, $1); }
	| entry_list COMMA entry        { $$ = ast_entries_append($1, $3); }
	;

entry
	: IDENT COLON expr              { $$ = ast_entry(&p->b, $1, $3); }
	| STRING COLON expr             { $$ = ast_entry(&p->b, $1, $3); }
	;

%%

/* Bridge to parse.c, which phrases the message; bison's context is local here. */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
				 struct parse_ctx *p)
{
	(void)scanner;
	enum { MAX_EXPECTED = 40 };
	yysymbol_kind_t expected[MAX_EXPECTED];
	int n = yypcontext_expected_tokens(ctx, expected, MAX_EXPECTED);
	const char *names[MAX_EXPECTED];
	for (int i = 0; i < n && i < MAX_EXPECTED; i++)
		names[i] = yysymbol_name(expected[i]);
	yysymbol_kind_t found = yypcontext_token(ctx);
	parse_syntax_error(p, *yypcontext_location(ctx), yysymbol_name(found),
			   found == YYSYMBOL_YYEOF, names, n < 0 ? 0 : n);
	return 0;
}

void sgc_yyerror(SGC_YYLTYPE *loc, yyscan_t scanner, struct parse_ctx *p,
		 const char *msg)
{
	(void)scanner;
	parse_internal_error(p, *loc, msg);
}
