/*
 * fmt.c - `sgc fmt`: one canonical layout for sgl source.
 *
 * The formatter has no scanner or reader of its own: it prints from the
 * compiler's syntax tree, parsed with the scanner in trivia mode
 * (parse_file_trivia), which also keeps every token with its line and
 * every comment, attached to the token it trails or leads. The printer
 * walks the tree; each node finds its tokens through its span, and each
 * token brings its comments.
 *
 * The canonical layout:
 *
 * - Indentation is 2 spaces per block level; one item (attribute, block,
 *   param, import) per line; `;` separators are dropped.
 * - A block is `kind name {`, its items, `}`; an empty block is
 *   `kind name {}`. A block written on one line whose body is at most 3
 *   attributes, with no comment and no nested block, stays on one line when
 *   that line fits in 100 columns, with two spaces between its items (a
 *   block spread over several lines is never collapsed):
 *       subnet private_a { cidr = 10.0.1.0/24  zone = a }
 * - In a run of consecutive attribute lines of one block (no blank line,
 *   own-line comment or other item between them) the names are padded so
 *   that the `=` signs line up. Top-level definitions are a block's items
 *   in this sense too.
 * - One space around `=` and around binary `+` and `-`; one space after
 *   `,` and after `:` (map entries, params); maps are `{ a: 1, b: 2 }` with
 *   spaces inside the braces, lists `[a, b]` and calls `f(a, b)` without.
 * - A list, map or call's arguments that do not fit in 100 columns are
 *   broken one element per line, indented one level past the line the
 *   opener is on, each element followed by a comma (the last one too), the
 *   closer back on the opener's indentation. A list, map or argument list
 *   that holds a comment is always broken.
 * - A set expression that does not fit is filled greedily: it breaks
 *   before the `+` or `-` whose term would pass column 100, and the
 *   continuation lines are indented 4 columns past the item's line.
 * - Comments stay with the line they annotate: a comment on a line of its
 *   own stays on a line of its own, indented like what follows it; a
 *   trailing comment stays trailing, two spaces after the code, on the line
 *   that holds the token it followed (a comma may be put between them).
 *   The text of a comment (`#` or `//`) is kept as written, without
 *   trailing blanks. Comments are not counted in line widths.
 * - A blank line (or several) between two items or comments becomes one
 *   blank line; there is none right after an opening `{` or `[`, none
 *   before a closer, none at the start of the file. The file ends with
 *   exactly one newline (an empty file stays empty) and no line has
 *   trailing blanks.
 * - Sizes are written `50 GB` (one space); every other token is kept
 *   exactly as written. (Two spellings exist only so as not to change a
 *   token: a reference written `ml . t3 . large` comes out `ml .t3.large`,
 *   not the instance type `ml.t3.large`; and a block is not put on one line
 *   when an attribute named like a unit, `GBx`, follows an integer. The
 *   scanner itself is asked, lex_first_token.)
 * - A line carrying `sgc: allow` (which silences warnings pointing at that
 *   line, or about an attribute on it) keeps exactly its tokens: the formatter breaks before its first
 *   token and before the first token after it, and prints a block, list or
 *   set expression that lies entirely on it on one line, whatever its width
 *   or number of attributes; items that share it (with each other or with
 *   their block's `{`) stay on it, two blanks apart, and so do the elements
 *   and the closer of a broken list, map or block (`3, 4]`, `a: 1, }`).
 * - Anything else odd, such as a comment between `=` and its value or
 *   inside a dotted name, ends the line there and the rest of the item
 *   continues 4 columns in.
 *
 * The result is a function of the tokens, their comments, where the blank
 * lines were and which lines carry `sgc: allow`, never of the input's
 * layout otherwise, so fmt(fmt(x)) == fmt(x).
 *
 * Meaning is never changed, and this is checked on every call, not assumed:
 * the input must parse without error, the output must too, and the two
 * syntax trees must dump identically; the output's tokens and comments
 * must be the input's (up to `;`, trailing commas and the spelling of
 * sizes); and a line carrying `sgc: allow` must hold the same tokens
 * before and after, since such a comment silences warnings on its own line
 * only. When any check fails fmt_source returns NULL rather than a wrong
 * text.
 */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "lex.h"
#include "parse.h"
#include "parser.h"
#include "src.h"

enum {
	MAX_WIDTH = 100, /* columns */
	STEP = 2,        /* indentation per level */
	CONT = 4,        /* continuation indent of a broken set expression */
};

/* Display width: UTF-8 code points (only strings and comments have others). */
static int cols(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* A token as printed: sizes as `50 GB` (`50GB`, `50\tGB`), the others as written. */
static const char *spelled(struct arena *a, const struct ast_token *k, uint32_t *len)
{
	*len = k->len;
	if (k->kind != SIZE)
		return k->text;
	uint32_t digits = 0, unit;
	while (digits < k->len && k->text[digits] >= '0' && k->text[digits] <= '9')
		digits++;
	for (unit = digits; unit < k->len && (k->text[unit] == ' ' || k->text[unit] == '\t'); unit++)
		continue;
	const char *s = arena_printf(a, "%.*s %.*s", (int)digits, k->text,
				     (int)(k->len - unit), k->text + unit);
	*len = (uint32_t)strlen(s);
	return s;
}

/* ---- tokens with their comments ------------------------------------------ */

static const char allow_marker[] = "sgc: allow";

/* The sorted numbers of the lines holding `sgc: allow` (diag.c's test). */
static uint32_t *marker_lines(struct arena *a, const char *s, size_t n, size_t *count)
{
	size_t ml = sizeof allow_marker - 1, cap = 0;
	uint32_t *v = NULL, line = 1;
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			line++;
			continue;
		}
		if (n - i < ml || memcmp(s + i, allow_marker, ml) != 0)
			continue;
		if (*count && v[*count - 1] == line)
			continue;
		if (*count == cap) {
			cap = cap ? cap * 2 : 8;
			uint32_t *nv = arena_alloc(a, cap * sizeof *nv);
			if (*count)
				memcpy(nv, v, *count * sizeof *nv);
			v = nv;
		}
		v[(*count)++] = line;
	}
	return v;
}

/* The first index of the sorted v[0..n) whose value is not below x. */
static size_t lower_bound(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool has_line(const uint32_t *v, size_t n, uint32_t line)
{
	size_t i = lower_bound(v, n, line);
	return i < n && v[i] == line;
}

struct comment {
	const char *text;
	uint32_t len;
	bool blank; /* a blank line separates it from what precedes it */
};

/* A token of the file as the printer uses it (`;` are dropped). */
struct tok {
	int kind;                    /* parser.h */
	const char *text;            /* spelled() */
	uint32_t len;
	uint32_t line;
	uint32_t lo;                 /* where it starts in the input */
	int width;
	bool blank;                  /* a blank line before it (or its comments) */
	bool marked;                 /* its line carries `sgc: allow` */
	bool hard;                   /* first on a marked line, or first after one */
	bool leads_done;             /* its own-line comments are printed */
	struct comment *lead;        /* own-line comments just before it */
	int nlead;
	const struct comment *trail; /* the comment after it on its line */
};

/* The file's tokens but `;`, with the comments the scanner attached to them. */
static struct tok *tokens(struct arena *a, const struct ast_trivia *tv,
			  const uint32_t *marks, size_t nmarks, int *ntoks)
{
	struct comment *com = arena_calloc(a, (size_t)tv->ncomments + 1, sizeof *com);
	for (uint32_t c = 0; c < tv->ncomments; c++)
		com[c] = (struct comment){ tv->comments[c].text, tv->comments[c].len,
					   tv->comments[c].blank_before };
	struct tok *t = arena_calloc(a, (size_t)tv->ntokens + 1, sizeof *t);
	int n = 0;
	for (uint32_t i = 0; i < tv->ntokens; i++) {
		const struct ast_token *k = &tv->tokens[i];
		if (k->kind == SEMI)
			continue;
		struct tok *x = &t[n++];
		*x = (struct tok){
			.kind = k->kind, .line = k->line, .lo = k->span.lo,
			.blank = k->blank_before, .marked = has_line(marks, nmarks, k->line),
			.lead = com + k->lead, .nlead = (int)k->nlead,
			.trail = k->trail >= 0 ? &com[k->trail] : NULL,
		};
		x->text = spelled(a, k, &x->len);
		x->width = cols(x->text, x->len);
	}
	/*
	 * `# sgc: allow CODE` silences warnings by the line it is on, so what
	 * shares a line with it must keep sharing that line, and nothing else
	 * may join it: break before the first token of such a line and before
	 * the first token after it.
	 */
	for (int i = 1; i < n; i++)
		if (t[i].line != t[i - 1].line && (t[i].marked || t[i - 1].marked))
			t[i].hard = true;
	*ntoks = n;
	return t;
}

/* ---- the tree as the printer sees it ------------------------------------- */

/*
 * The syntax tree's items and expressions with the indices of their
 * tokens: a set expression's terms side by side (the tree nests them to
 * the left), parentheses as nodes of their own.
 */
enum nkind {
	N_ATTR,   /* t[0] name, t[1] `=`, sub value */
	N_PARAM,  /* t[0] `param`, t[1] name, t[2] `:`, t[3] type, t[4] `=` or -1, sub */
	N_IMPORT, /* t[0] `import`, sub name */
	N_BLOCK,  /* t[0] kind, t[1] name or -1, t[2] `{`, t[3] `}`, kids items */
	N_TOK,    /* t[0] a literal */
	N_NAME,   /* tokens first..last: a.b.c */
	N_CALL,   /* sub name, t[0] `(`, t[1] `)`, kids arguments */
	N_LIST,   /* t[0] `[`, t[1] `]`, kids elements */
	N_MAP,    /* t[0] `{`, t[1] `}`, kids entries */
	N_ENTRY,  /* t[0] key, t[1] `:`, sub value */
	N_PAREN,  /* t[0] `(`, t[1] `)`, sub */
	N_BIN,    /* kids terms; kids[i]->sep is the operator before term i > 0 */
};

struct node {
	enum nkind kind;
	int first, last; /* token range, inclusive */
	int t[5];
	int sep;         /* the comma after an element, the operator before a term; or -1 */
	struct node *sub;
	struct node **kids;
	int n;
	long width;      /* on one line; -1 until computed */
};

struct builder {
	struct arena *a;
	const struct tok *t;
	int n;
	bool ok;         /* every span led to a token */
};

/* The index of the token that starts at byte `lo` of the input. */
static int at(struct builder *b, uint32_t lo)
{
	int l = 0, h = b->n;
	while (l < h) {
		int mid = l + (h - l) / 2;
		if (b->t[mid].lo < lo)
			l = mid + 1;
		else
			h = mid;
	}
	if (l == b->n || b->t[l].lo != lo) {
		b->ok = false;
		return 0;
	}
	return l;
}

static struct node *new_node(struct builder *b, enum nkind kind, int first)
{
	struct node *e = arena_alloc(b->a, sizeof *e);
	e->kind = kind;
	e->first = e->last = first;
	e->sep = -1;
	e->width = -1;
	for (int i = 0; i < 5; i++)
		e->t[i] = -1;
	return e;
}

static struct node *name_node(struct builder *b, const struct ast_name *name)
{
	struct node *e = new_node(b, N_NAME, at(b, name->span.lo));
	e->last = at(b, name->spans[name->n - 1].lo);
	return e;
}

/* Elements, arguments or entries, each with the comma after it if there is one. */
static void set_kids(struct builder *b, struct node *e, struct node **kids, int n)
{
	for (int i = 0; i < n; i++) {
		int next = kids[i]->last + 1;
		if (next < b->n && b->t[next].kind == COMMA)
			kids[i]->sep = next;
	}
	e->kids = kids;
	e->n = n;
}

static struct node *expr_node(struct builder *b, const struct ast_expr *e);

/* The elements of a list or the arguments of a call; `whole` ends with its closer. */
static void exprs_node(struct builder *b, struct node *e, const struct ast_expr *head, int n,
		       struct span whole)
{
	struct node **kids = arena_calloc(b->a, (size_t)n + 1, sizeof *kids);
	int i = 0;
	for (const struct ast_expr *x = head; x && i < n; x = x->next)
		kids[i++] = expr_node(b, x);
	set_kids(b, e, kids, i);
	e->t[1] = e->last = at(b, whole.hi - 1);
}

/* `a + b - c` is `(a + b) - c` in the tree: its terms are a, b and c. */
static struct node *binary_node(struct builder *b, const struct ast_expr *e)
{
	int n = 1;
	for (const struct ast_expr *x = e; x->kind == EX_BINARY && (x == e || !x->parens);
	     x = x->u.bin.lhs)
		n++;
	struct node **kids = arena_calloc(b->a, (size_t)n, sizeof *kids);
	const struct ast_expr *x = e;
	for (int i = n - 1; i > 0; i--, x = x->u.bin.lhs)
		kids[i] = expr_node(b, x->u.bin.rhs);
	kids[0] = expr_node(b, x);
	struct node *bin = new_node(b, N_BIN, kids[0]->first);
	for (int i = 1; i < n; i++)
		kids[i]->sep = kids[i - 1]->last + 1;
	bin->kids = kids;
	bin->n = n;
	bin->last = kids[n - 1]->last;
	return bin;
}

static struct node *expr_node(struct builder *b, const struct ast_expr *e)
{
	struct node *x;
	switch (e->kind) {
	case EX_STRING:
	case EX_INT:
	case EX_BOOL:
	case EX_SIZE:
	case EX_DURATION:
	case EX_CIDR:
	case EX_INSTANCE:
		x = new_node(b, N_TOK, at(b, e->span.lo));
		x->t[0] = x->first;
		break;
	case EX_NAME:
		x = name_node(b, e->u.name);
		break;
	case EX_LIST:
		x = new_node(b, N_LIST, at(b, e->span.lo));
		x->t[0] = x->first;
		exprs_node(b, x, e->u.list.head, e->u.list.n, e->span);
		break;
	case EX_CALL: {
		struct node *fn = name_node(b, e->u.call.fn);
		x = new_node(b, N_CALL, fn->first);
		x->sub = fn;
		x->t[0] = fn->last + 1;
		exprs_node(b, x, e->u.call.args, e->u.call.nargs, e->span);
		break;
	}
	case EX_MAP: {
		x = new_node(b, N_MAP, at(b, e->span.lo));
		x->t[0] = x->first;
		struct node **kids = arena_calloc(b->a, (size_t)e->u.map.n + 1, sizeof *kids);
		int i = 0;
		for (const struct ast_entry *en = e->u.map.head; en && i < e->u.map.n; en = en->next) {
			struct node *k = new_node(b, N_ENTRY, at(b, en->key_span.lo));
			k->t[0] = k->first;
			k->t[1] = k->first + 1;
			k->sub = expr_node(b, en->value);
			k->last = k->sub->last;
			kids[i++] = k;
		}
		set_kids(b, x, kids, i);
		x->t[1] = x->last = at(b, e->span.hi - 1);
		break;
	}
	case EX_BINARY:
		x = binary_node(b, e);
		break;
	case EX_INVALID:
	default:
		b->ok = false; /* only in a tree with errors, which is not formatted */
		return new_node(b, N_TOK, 0);
	}
	/* `((x))`: the parentheses are the tokens just around x. */
	for (int i = 0; i < e->parens; i++) {
		struct node *p = new_node(b, N_PAREN, x->first - 1);
		p->t[0] = p->first;
		p->t[1] = p->last = x->last + 1;
		p->sub = x;
		x = p;
	}
	return x;
}

static struct node *items_node(struct builder *b, struct node *block, const struct ast_item *items);

static struct node *item_node(struct builder *b, const struct ast_item *it)
{
	struct node *x;
	switch (it->kind) {
	case IT_IMPORT:
		x = new_node(b, N_IMPORT, at(b, it->span.lo));
		x->t[0] = x->first;
		x->sub = name_node(b, it->path);
		x->last = x->sub->last;
		return x;
	case IT_ATTR:
		x = new_node(b, N_ATTR, at(b, it->name_span.lo));
		x->t[0] = x->first;
		x->t[1] = x->first + 1;
		x->sub = expr_node(b, it->value);
		x->last = x->sub->last;
		return x;
	case IT_PARAM:
		x = new_node(b, N_PARAM, at(b, it->span.lo));
		x->t[0] = x->first;
		x->t[1] = at(b, it->name_span.lo);
		x->t[2] = x->t[1] + 1;
		x->t[3] = x->last = at(b, it->type_span.lo);
		if (it->value) {
			x->t[4] = x->t[3] + 1;
			x->sub = expr_node(b, it->value);
			x->last = x->sub->last;
		}
		return x;
	case IT_BLOCK:
	default:
		x = new_node(b, N_BLOCK, at(b, it->kind_span.lo));
		x->t[0] = x->first;
		x->t[1] = it->name ? at(b, it->name_span.lo) : -1;
		x->t[2] = (it->name ? x->t[1] : x->t[0]) + 1;
		x->t[3] = x->last = at(b, it->close_span.lo);
		return items_node(b, x, it->children);
	}
}

static struct node *items_node(struct builder *b, struct node *block, const struct ast_item *items)
{
	int n = 0;
	for (const struct ast_item *it = items; it; it = it->next)
		n++;
	block->kids = arena_calloc(b->a, (size_t)n + 1, sizeof *block->kids);
	for (const struct ast_item *it = items; it; it = it->next)
		block->kids[block->n++] = item_node(b, it);
	return block;
}

/* The file as a block without braces, or NULL when a span has no token. */
static struct node *file_node(struct arena *a, const struct tok *t, int ntoks,
			      const struct ast_file *ast)
{
	struct builder b = { .a = a, .t = t, .n = ntoks, .ok = true };
	struct node *file = arena_alloc(a, sizeof *file);
	*file = (struct node){ .kind = N_BLOCK, .sep = -1, .width = -1 };
	items_node(&b, file, ast->items);
	return b.ok ? file : NULL;
}

/* ---- printing ------------------------------------------------------------ */

struct printer {
	struct arena *a;
	struct strbuf out;
	struct tok *t;
	int *leads, *trails;  /* prefix counts: tokens with own-line comments (or
			       * hard breaks), tokens with trailing comments */
	int col;              /* columns on the current line */
	int indent;           /* indentation of the current line */
	int cont;             /* where a line broken inside an item continues */
	bool bol;             /* nothing but indentation on the current line */
	bool fresh;           /* just after an opener: no blank line here */
	bool started;         /* a line exists */
	const struct comment *pending; /* trailing comment ending this line */
	struct strmap *read_as;        /* text -> 1 + length of its first token */
};

/* Any comment inside t[lo..hi] (own-line before lo and trailing after hi excluded). */
static bool comments_within(const struct printer *p, int lo, int hi)
{
	return p->leads[hi + 1] - p->leads[lo + 1] > 0 || p->trails[hi] - p->trails[lo] > 0;
}

/*
 * Whether token i shares a line carrying `sgc: allow` with the token before
 * it: then it stays on that line, since the comment silences warnings on
 * its own line only.
 */
static bool shares_marked_line(const struct printer *p, int i)
{
	const struct tok *k = &p->t[i];
	return i > 0 && k->marked && !k->nlead && k->line == p->t[i - 1].line;
}

/* Whether e lies on one line of the input, and that line carries `sgc: allow`. */
static bool on_marked_line(const struct printer *p, const struct node *e)
{
	return p->t[e->first].marked && p->t[e->first].line == p->t[e->last].line;
}

/*
 * The length of the first token the scanner reads in s: what tokens printed
 * side by side read as. The same few pairs recur, so answers are kept.
 */
static uint32_t first_token_length(const struct printer *p, const char *s, size_t len)
{
	uintptr_t known = (uintptr_t)strmap_get(p->read_as, s);
	if (known)
		return (uint32_t)(known - 1);
	uint32_t n;
	lex_first_token(p->a, s, len, &n);
	strmap_put(p->a, p->read_as, s, (void *)(uintptr_t)(n + 1));
	return n;
}

/*
 * Whether the `.` at i, inside a name, needs a blank before it: the parts
 * around it, printed together, must not read as one token, as
 * `x.ml.t3.large` would (the instance type `ml.t3.large`).
 */
static bool dot_needs_space(const struct printer *p, const struct node *name, int i)
{
	int end = i + 3 <= name->last ? i + 3 : i + 1;
	struct strbuf s = { 0 };
	for (int k = i - 1; k <= end; k++)
		strbuf_add(p->a, &s, p->t[k].text, p->t[k].len);
	return first_token_length(p, s.s, s.n) > p->t[i - 1].len;
}

/*
 * Whether `next`, put two blanks after `prev` on one line, would be read
 * as one token with prev's last: `a = 1  GBx = 2` scans as `1  GB`, `x`...
 */
static bool reads_joined(const struct printer *p, const struct node *prev, const struct node *next)
{
	const struct tok *last = &p->t[prev->last], *first = &p->t[next->first];
	const char *s = arena_printf(p->a, "%.*s  %.*s", (int)last->len, last->text,
				     (int)first->len, first->text);
	return first_token_length(p, s, strlen(s)) != last->len;
}

static long width(const struct printer *p, struct node *e)
{
	if (e->width >= 0)
		return e->width;
	long w = 0;
	switch (e->kind) {
	case N_TOK:
		w = p->t[e->t[0]].width;
		break;
	case N_NAME:
		for (int i = e->first; i <= e->last; i++)
			w += p->t[i].width + (p->t[i].kind == DOT && dot_needs_space(p, e, i));
		break;
	case N_CALL:
	case N_LIST:
	case N_MAP:
		w = e->kind == N_CALL ? width(p, e->sub) + 2 : 2;
		for (int i = 0; i < e->n; i++)
			w += width(p, e->kids[i]) + (i ? 2 : 0);
		if (e->kind == N_MAP && e->n)
			w += 2;
		break;
	case N_ENTRY:
		w = p->t[e->t[0]].width + 2 + width(p, e->sub);
		break;
	case N_PAREN:
		w = 2 + width(p, e->sub);
		break;
	case N_BIN:
		for (int i = 0; i < e->n; i++)
			w += width(p, e->kids[i]) + (i ? 2 + p->t[e->kids[i]->sep].width : 0);
		break;
	case N_ATTR:
		w = p->t[e->t[0]].width + 3 + width(p, e->sub);
		break;
	case N_PARAM:
	case N_IMPORT:
	case N_BLOCK:
		w = MAX_WIDTH + 1; /* never on a shared line */
		break;
	}
	e->width = w;
	return w;
}

static void raw(struct printer *p, const char *s, size_t n, int w)
{
	strbuf_add(p->a, &p->out, s, n);
	p->col += w;
}

static void spaces(struct printer *p, int n)
{
	static const char blanks[] = "                                ";
	while (n > 0) {
		int k = n < (int)sizeof blanks - 1 ? n : (int)sizeof blanks - 1;
		raw(p, blanks, (size_t)k, k);
		n -= k;
	}
}

static void flush_trail(struct printer *p)
{
	if (!p->pending)
		return;
	raw(p, "  ", 2, 2);
	raw(p, p->pending->text, p->pending->len, cols(p->pending->text, p->pending->len));
	p->pending = NULL;
}

static void newline(struct printer *p, int indent)
{
	flush_trail(p);
	if (p->started)
		raw(p, "\n", 1, 0);
	p->started = true;
	p->col = 0;
	spaces(p, indent);
	p->indent = indent;
	p->bol = true;
}

/* An empty line, unless just after an opener (or at the top). */
static void blank_line(struct printer *p)
{
	flush_trail(p);
	if (p->started && !p->fresh && p->out.n && p->out.s[p->out.n - 1] != '\n')
		raw(p, "\n", 1, 0);
}

static void comment_text(struct printer *p, const struct comment *c)
{
	raw(p, c->text, c->len, cols(c->text, c->len));
	p->bol = false;
	p->fresh = false;
}

static void text(struct printer *p, const char *s, uint32_t len, int w, bool space)
{
	if (space && !p->bol)
		raw(p, " ", 1, 1);
	raw(p, s, len, w);
	p->bol = false;
	p->fresh = false;
}

/*
 * Print token i, after one blank when `space` and the line has code. Its
 * own-line comments, if nobody printed them yet, go on lines of their own
 * and the token on the next; a pending trailing comment ends the line
 * first, except before a comma (`x,  # note`).
 */
static void put(struct printer *p, int i, bool space)
{
	struct tok *k = &p->t[i];
	if (k->nlead && !k->leads_done) {
		k->leads_done = true;
		if (!p->bol)
			newline(p, p->cont);
		for (int c = 0; c < k->nlead; c++) {
			comment_text(p, &k->lead[c]);
			newline(p, p->indent);
		}
	} else if ((p->pending && !(k->kind == COMMA && !k->trail)) || (k->hard && !p->bol)) {
		newline(p, p->cont);
	}
	text(p, k->text, k->len, k->width, space);
	if (k->trail)
		p->pending = k->trail;
}

/* Token i's own-line comments, once, each on a line at `indent`. */
static void flush_leads(struct printer *p, int i, int indent)
{
	struct tok *k = &p->t[i];
	if (k->leads_done)
		return;
	k->leads_done = true;
	for (int c = 0; c < k->nlead; c++) {
		if (k->lead[c].blank)
			blank_line(p);
		newline(p, indent);
		comment_text(p, &k->lead[c]);
	}
}

/* Start a line at `indent` for token i, after its own-line comments. */
static void begin_line(struct printer *p, int i, int indent)
{
	struct tok *k = &p->t[i];
	flush_leads(p, i, indent);
	if (k->blank)
		blank_line(p);
	newline(p, indent);
}

/* The comments left before closer i, at `inner`, then the closer at `outer`. */
static void close_line(struct printer *p, int i, int inner, int outer)
{
	struct tok *k = &p->t[i];
	flush_leads(p, i, inner);
	if (k->kind == END)
		return;
	newline(p, outer);
	put(p, i, false);
}

static void print_flat(struct printer *p, struct node *e, bool space)
{
	switch (e->kind) {
	case N_TOK:
		put(p, e->t[0], space);
		break;
	case N_NAME:
		for (int i = e->first; i <= e->last; i++)
			put(p, i, i == e->first ? space : p->t[i].kind == DOT && dot_needs_space(p, e, i));
		break;
	case N_CALL:
	case N_LIST:
	case N_MAP:
		if (e->kind == N_CALL) {
			print_flat(p, e->sub, space);
			space = false;
		}
		put(p, e->t[0], space);
		for (int i = 0; i < e->n; i++) {
			print_flat(p, e->kids[i], i > 0 || e->kind == N_MAP);
			if (i + 1 < e->n)
				put(p, e->kids[i]->sep, false);
		}
		put(p, e->t[1], e->kind == N_MAP && e->n);
		break;
	case N_ENTRY:
		put(p, e->t[0], space);
		put(p, e->t[1], false);
		print_flat(p, e->sub, true);
		break;
	case N_PAREN:
		put(p, e->t[0], space);
		print_flat(p, e->sub, false);
		put(p, e->t[1], false);
		break;
	case N_BIN:
		for (int i = 0; i < e->n; i++) {
			if (i)
				put(p, e->kids[i]->sep, true);
			print_flat(p, e->kids[i], i > 0 || space);
		}
		break;
	case N_ATTR:
		put(p, e->t[0], space);
		put(p, e->t[1], true);
		print_flat(p, e->sub, true);
		break;
	case N_PARAM:
	case N_IMPORT:
	case N_BLOCK:
		break;
	}
}

static void print_expr(struct printer *p, struct node *e, int suffix, bool space);

/* Elements one per line, each with a comma, the closer on the opener's indentation. */
static void print_broken(struct printer *p, struct node *e, bool space)
{
	put(p, e->t[0], space);
	int outer = p->indent, saved = p->cont;
	p->fresh = true;
	for (int i = 0; i < e->n; i++) {
		struct node *k = e->kids[i];
		if (shares_marked_line(p, k->first))
			spaces(p, 1);
		else
			begin_line(p, k->first, outer + STEP);
		p->cont = outer + STEP + CONT;
		print_expr(p, k, 1, false);
		if (k->sep >= 0)
			put(p, k->sep, false);
		else if (!shares_marked_line(p, e->t[1]))
			text(p, ",", 1, 1, false);
	}
	if (shares_marked_line(p, e->t[1]))
		put(p, e->t[1], e->kind == N_MAP);
	else
		close_line(p, e->t[1], outer + STEP, outer);
	p->cont = saved;
}

/* `suffix`: columns that must follow e on its last line (a comma, a paren). */
static void print_expr(struct printer *p, struct node *e, int suffix, bool space)
{
	if (e->kind == N_TOK || e->kind == N_NAME) {
		print_flat(p, e, space);
		return;
	}
	bool inner = comments_within(p, e->first, e->last);
	bool empty = (e->kind == N_LIST || e->kind == N_MAP || e->kind == N_CALL) && e->n == 0;
	long need = p->col + (space && !p->bol) + width(p, e) + suffix;
	if (!inner && (empty || need <= MAX_WIDTH || on_marked_line(p, e))) {
		print_flat(p, e, space);
		return;
	}
	switch (e->kind) {
	case N_CALL:
		print_flat(p, e->sub, space);
		print_broken(p, e, false);
		break;
	case N_LIST:
	case N_MAP:
		print_broken(p, e, space);
		break;
	case N_ENTRY:
		put(p, e->t[0], space);
		put(p, e->t[1], false);
		print_expr(p, e->sub, suffix, true);
		break;
	case N_PAREN:
		put(p, e->t[0], space);
		print_expr(p, e->sub, suffix + 1, false);
		put(p, e->t[1], false);
		break;
	case N_BIN:
		for (int i = 0; i < e->n; i++) {
			struct node *term = e->kids[i];
			int tail = i + 1 == e->n ? suffix : 0;
			if (i == 0) {
				print_expr(p, term, tail, space);
				continue;
			}
			long w = 1 + p->t[term->sep].width + 1 + width(p, term) + tail;
			if (!p->bol && p->col + w > MAX_WIDTH)
				newline(p, p->cont);
			put(p, term->sep, true);
			print_expr(p, term, tail, true);
		}
		break;
	default:
		print_flat(p, e, space);
		break;
	}
}

static void print_items(struct printer *p, struct node *block, int indent);

static void print_block(struct printer *p, struct node *b, int indent)
{
	put(p, b->t[0], false);
	if (b->t[1] >= 0)
		put(p, b->t[1], true);
	int lb = b->t[2], rb = b->t[3];
	if (!comments_within(p, lb, rb)) {
		bool attrs = true;
		long w = p->col + 3 + 2;
		for (int i = 0; i < b->n; i++) {
			if (b->kids[i]->kind != N_ATTR ||
			    (i && reads_joined(p, b->kids[i - 1], b->kids[i])))
				attrs = false;
			else
				w += (i ? 2 : 0) + width(p, b->kids[i]);
		}
		/*
		 * A block already written on one line stays there if it fits (a
		 * block the author spread over lines is never collapsed), and one
		 * on a line with `sgc: allow` stays there whatever its width.
		 */
		bool written_on_one_line = p->t[lb].line == p->t[rb].line;
		bool one_line = attrs && ((written_on_one_line && b->n <= 3 && w <= MAX_WIDTH) ||
					  on_marked_line(p, b));
		if (b->n == 0 || one_line) {
			put(p, lb, true);
			for (int i = 0; i < b->n; i++) {
				if (i)
					spaces(p, 1);
				print_flat(p, b->kids[i], true);
			}
			put(p, rb, b->n > 0);
			return;
		}
	}
	put(p, lb, true);
	p->fresh = true;
	print_items(p, b, indent + STEP);
	if (shares_marked_line(p, rb))
		put(p, rb, true);
	else
		close_line(p, rb, indent + STEP, indent);
}

static void print_item(struct printer *p, struct node *it, int indent, int pad)
{
	p->cont = indent + CONT;
	switch (it->kind) {
	case N_ATTR:
		put(p, it->t[0], false);
		if (!p->pending)
			spaces(p, pad - p->t[it->t[0]].width);
		put(p, it->t[1], true);
		print_expr(p, it->sub, 0, true);
		break;
	case N_PARAM:
		put(p, it->t[0], false);
		put(p, it->t[1], true);
		put(p, it->t[2], false);
		put(p, it->t[3], true);
		if (it->t[4] >= 0) {
			put(p, it->t[4], true);
			print_expr(p, it->sub, 0, true);
		}
		break;
	case N_IMPORT:
		put(p, it->t[0], false);
		print_flat(p, it->sub, true);
		break;
	case N_BLOCK:
		print_block(p, it, indent);
		break;
	default:
		break;
	}
}

/*
 * An item that shares a line carrying `sgc: allow` with the token before it
 * (another item, or its block's `{`) stays on that line, since the comment
 * silences warnings on its own line only.
 */
static bool stays_on_marked_line(const struct printer *p, const struct node *it)
{
	return shares_marked_line(p, it->first);
}

/*
 * A block's items (or the file's), one per line. Names in a run of
 * attributes not separated by a blank line, an own-line comment or another
 * item are padded to the longest.
 */
static void print_items(struct printer *p, struct node *block, int indent)
{
	int *pad = arena_calloc(p->a, (size_t)block->n + 1, sizeof *pad);
	for (int i = 0; i < block->n;) {
		int j = i + 1, w = 0;
		if (block->kids[i]->kind == N_ATTR) {
			while (j < block->n && block->kids[j]->kind == N_ATTR &&
			       !p->t[block->kids[j]->first].blank &&
			       !p->t[block->kids[j]->first].nlead &&
			       !stays_on_marked_line(p, block->kids[j]) &&
			       !(j + 1 < block->n && stays_on_marked_line(p, block->kids[j + 1])))
				j++;
			for (int k = i; k < j; k++)
				if (p->t[block->kids[k]->t[0]].width > w)
					w = p->t[block->kids[k]->t[0]].width;
		}
		for (int k = i; k < j; k++)
			pad[k] = w;
		i = j;
	}
	for (int i = 0; i < block->n; i++) {
		const struct node *it = block->kids[i];
		if (stays_on_marked_line(p, it)) {
			spaces(p, i ? 2 : 1);
			print_item(p, block->kids[i], indent, 0);
			continue;
		}
		begin_line(p, it->first, indent);
		print_item(p, block->kids[i], indent, pad[i]);
	}
}

/* Drop blanks at line ends; the printer only leaves them on empty lines. */
static size_t strip_trailing_blanks(char *s, size_t n)
{
	size_t o = 0, line = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			while (o > line && (s[o - 1] == ' ' || s[o - 1] == '\t'))
				o--;
			s[o++] = '\n';
			line = o;
		} else {
			s[o++] = s[i];
		}
	}
	while (o > line && (s[o - 1] == ' ' || s[o - 1] == '\t'))
		o--;
	s[o] = '\0';
	return o;
}

static const char *print_file(struct arena *a, struct tok *t, int ntoks,
			      struct node *file, size_t *out_len)
{
	struct strmap read_as = { 0 };
	struct printer p = { .a = a, .t = t, .fresh = true, .read_as = &read_as };
	p.leads = arena_calloc(a, (size_t)ntoks + 1, sizeof *p.leads);
	p.trails = arena_calloc(a, (size_t)ntoks + 1, sizeof *p.trails);
	for (int i = 0; i < ntoks; i++) {
		p.leads[i + 1] = p.leads[i] + (t[i].nlead > 0 || t[i].hard);
		p.trails[i + 1] = p.trails[i] + (t[i].trail != NULL);
	}
	strbuf_add(a, &p.out, "", 0);
	print_items(&p, file, 0);
	close_line(&p, ntoks - 1, 0, 0);
	flush_trail(&p);
	if (p.started)
		raw(&p, "\n", 1, 0);
	*out_len = strip_trailing_blanks(p.out.s, p.out.n);
	return p.out.s;
}

/* ---- checks -------------------------------------------------------------- */

/* The tree of map file `file`, with its trivia, or NULL when it has an error. */
static struct ast_file *parse(struct arena *a, const struct src_map *m, uint32_t file)
{
	struct diag_sink diags;
	diag_sink_init(&diags, a);
	struct ast_file *ast = parse_file_trivia(a, &diags, m, file);
	return ast && !diag_has_errors(&diags) ? ast : NULL;
}

/* The syntax tree as ast_dump text (malloc'd), or NULL. */
static char *dump(const struct ast_file *ast, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	ast_dump(f, ast);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * What must survive formatting, in order: the tokens without `;`, the end
 * of file and commas just before a closer, and the comments; with the line
 * of each.
 */
struct kept {
	const struct ast_token **code;
	const struct ast_comment **com;
	uint32_t *code_line, *com_line;
	size_t ncode, ncom;
};

static bool is_closer(int kind)
{
	return kind == RBRACK || kind == RBRACE || kind == RPAREN;
}

static struct kept keep(struct arena *a, const struct ast_trivia *tv)
{
	struct kept k = {
		.code = arena_calloc(a, (size_t)tv->ntokens + 1, sizeof *k.code),
		.com = arena_calloc(a, (size_t)tv->ncomments + 1, sizeof *k.com),
		.code_line = arena_calloc(a, (size_t)tv->ntokens + 1, sizeof *k.code_line),
		.com_line = arena_calloc(a, (size_t)tv->ncomments + 1, sizeof *k.com_line),
	};
	for (uint32_t c = 0; c < tv->ncomments; c++) {
		k.com_line[k.ncom] = tv->comments[c].line;
		k.com[k.ncom++] = &tv->comments[c];
	}
	for (uint32_t i = 0; i < tv->ntokens; i++) {
		const struct ast_token *x = &tv->tokens[i];
		if (x->kind == SEMI || x->kind == END)
			continue;
		if (x->kind == COMMA) {
			uint32_t j = i + 1;
			while (j < tv->ntokens && tv->tokens[j].kind == SEMI)
				j++;
			if (j < tv->ntokens && is_closer(tv->tokens[j].kind))
				continue;
		}
		k.code_line[k.ncode] = x->line;
		k.code[k.ncode++] = x;
	}
	return k;
}

static bool same_tokens(struct arena *a, const struct kept *x, const struct kept *y)
{
	if (x->ncode != y->ncode || x->ncom != y->ncom)
		return false;
	for (size_t i = 0; i < x->ncode; i++) {
		uint32_t nx, ny;
		const char *sx = spelled(a, x->code[i], &nx), *sy = spelled(a, y->code[i], &ny);
		if (x->code[i]->kind != y->code[i]->kind || nx != ny || memcmp(sx, sy, nx) != 0)
			return false;
	}
	for (size_t i = 0; i < x->ncom; i++)
		if (x->com[i]->len != y->com[i]->len ||
		    memcmp(x->com[i]->text, y->com[i]->text, x->com[i]->len) != 0)
			return false;
	return true;
}

/*
 * Every line of `from` carrying `sgc: allow` must come out as one line of
 * `to` that carries it too and holds exactly the same tokens and comments.
 */
static bool allow_lines_kept(const struct kept *from, const uint32_t *fm, size_t nfm,
			     const struct kept *to, const uint32_t *tm, size_t ntm)
{
	for (size_t m = 0; m < nfm; m++) {
		size_t c0 = lower_bound(from->code_line, from->ncode, fm[m]);
		size_t c1 = lower_bound(from->code_line, from->ncode, fm[m] + 1);
		size_t k0 = lower_bound(from->com_line, from->ncom, fm[m]);
		size_t k1 = lower_bound(from->com_line, from->ncom, fm[m] + 1);
		if (c0 == c1 && k0 == k1)
			continue;
		uint32_t line = c0 < c1 ? to->code_line[c0] : to->com_line[k0];
		for (size_t i = c0; i < c1; i++)
			if (to->code_line[i] != line)
				return false;
		for (size_t i = k0; i < k1; i++)
			if (to->com_line[i] != line)
				return false;
		size_t d = lower_bound(to->code_line, to->ncode, line + 1) -
			   lower_bound(to->code_line, to->ncode, line);
		size_t e = lower_bound(to->com_line, to->ncom, line + 1) -
			   lower_bound(to->com_line, to->ncom, line);
		if (d != c1 - c0 || e != k1 - k0 || !has_line(tm, ntm, line))
			return false;
	}
	return true;
}

/* The same tree, the same tokens and comments, the same `sgc: allow` lines. */
static bool same_meaning(struct arena *a, const struct src_file *in, const struct ast_file *x,
			 const struct src_file *out, const struct ast_file *y)
{
	size_t nx = 0, ny = 0;
	char *dx = dump(x, &nx), *dy = dump(y, &ny);
	bool same = dx && dy && nx == ny && memcmp(dx, dy, nx) == 0;
	free(dx);
	free(dy);
	if (!same)
		return false;
	struct kept kx = keep(a, &x->trivia), ky = keep(a, &y->trivia);
	if (!same_tokens(a, &kx, &ky))
		return false;
	size_t nmi, nmo;
	uint32_t *mi = marker_lines(a, in->text, in->len, &nmi);
	uint32_t *mo = marker_lines(a, out->text, out->len, &nmo);
	return allow_lines_kept(&kx, mi, nmi, &ky, mo, nmo) &&
	       allow_lines_kept(&ky, mo, nmo, &kx, mi, nmi);
}

/* ---- entry point --------------------------------------------------------- */

const char *fmt_source(struct arena *a, const char *text, size_t len, size_t *out_len)
{
	if (!a || (!text && len) || len >= UINT32_MAX / 2)
		return NULL;
	/* A leading byte order mark is not part of the canonical layout. */
	size_t bom = text ? lex_bom_length(text, len) : 0;
	if (bom) {
		text += bom;
		len -= bom;
	}
	struct src_map m;
	src_map_init(&m, a);
	uint32_t in_file = src_add(&m, "<input>", text ? text : "", len);
	const struct src_file *in = src_get(&m, in_file);
	if (src_invalid_utf8(in) != UINT32_MAX)
		return NULL;
	struct ast_file *ast = parse(a, &m, in_file);
	if (!ast)
		return NULL;
	size_t nmarks;
	uint32_t *marks = marker_lines(a, in->text, in->len, &nmarks);
	int ntoks;
	struct tok *t = tokens(a, &ast->trivia, marks, nmarks, &ntoks);
	struct node *file = file_node(a, t, ntoks, ast);
	if (!file)
		return NULL;
	size_t n;
	const char *out = print_file(a, t, ntoks, file, &n);
	uint32_t out_file = src_add(&m, "<output>", out, n);
	struct ast_file *again = parse(a, &m, out_file);
	if (!again || !same_meaning(a, in, ast, src_get(&m, out_file), again))
		return NULL;
	if (out_len)
		*out_len = n;
	return out;
}

/* ---- the token dump ------------------------------------------------------ */

static void dump_text(struct arena *a, struct strbuf *out, const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		char esc[SRC_ESCAPE_MAX];
		uint32_t k = src_visible_char(s + i, n - i, esc);
		if (esc[0])
			strbuf_puts(a, out, esc);
		else
			strbuf_add(a, out, s + i, k);
		i += k;
	}
}

const char *fmt_tokens(struct arena *a, const char *text, size_t len, size_t *out_len,
		       bool *clean)
{
	struct strbuf out = { 0 };
	strbuf_add(a, &out, "", 0);
	*clean = false;
	*out_len = 0;
	if (!a || (!text && len) || len >= UINT32_MAX / 2)
		return out.s;
	size_t bom = text ? lex_bom_length(text, len) : 0;
	struct src_map m;
	src_map_init(&m, a);
	uint32_t file = src_add(&m, "<input>", text ? text + bom : "", len - bom);
	const struct src_file *f = src_get(&m, file);
	struct diag_sink diags;
	diag_sink_init(&diags, a);
	struct ast_trivia tv;
	lex_scan_file(a, &diags, &m, file, &tv);
	*clean = !diag_has_errors(&diags) && src_invalid_utf8(f) == UINT32_MAX;
	for (uint32_t i = 0, c = 0; i < tv.ntokens || c < tv.ncomments;) {
		bool comment = c < tv.ncomments &&
			       (i == tv.ntokens || tv.comments[c].span.lo < tv.tokens[i].span.lo);
		const char *kind = comment ? "COMMENT" : lex_token_name(tv.tokens[i].kind);
		struct span at = comment ? tv.comments[c].span : tv.tokens[i].span;
		const char *s = comment ? tv.comments[c].text : tv.tokens[i].text;
		uint32_t n = comment ? tv.comments[c].len : tv.tokens[i].len;
		if (comment)
			c++;
		else
			i++;
		struct src_pos pos = src_locate(f, at.lo);
		strbuf_printf(a, &out, "%s %u:%u", kind, pos.line, pos.col);
		if (n) {
			strbuf_add(a, &out, " ", 1);
			dump_text(a, &out, s, n);
		}
		strbuf_add(a, &out, "\n", 1);
	}
	*out_len = out.n;
	return out.s;
}
