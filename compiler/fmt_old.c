/*
 * fmt_old.c - the old `sgc fmt`, kept for the differential test (fmt_old.h).
 *
 * The formatter has its own small scanner (grammar/lexer.l drops comments,
 * and comments must survive), a recursive-descent reader that rebuilds the
 * shape of the file from the tokens (items, blocks, lists, maps, calls, set
 * expressions) with every comment attached to a token, and a printer.
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
 *   when an attribute named like a unit, `GBx`, follows an integer.)
 * - A line carrying `sgc: allow` (which silences warnings on that line
 *   only) keeps exactly its tokens: the formatter breaks before its first
 *   token and before the first token after it, and prints a block, list or
 *   set expression that lies entirely on it on one line, whatever its width
 *   or number of attributes; items that share it (with each other or with
 *   their block's `{`) stay on it, two blanks apart.
 * - Anything else odd, such as a comment between `=` and its value or
 *   inside a dotted name, ends the line there and the rest of the item
 *   continues 4 columns in.
 *
 * The result is a function of the tokens, their comments, where the blank
 * lines were and which lines carry `sgc: allow`, never of the input's
 * layout otherwise, so fmt(fmt(x)) == fmt(x).
 *
 * Meaning is never changed, and this is checked on every call, not assumed:
 * the input must go through the real front end (parse_file) without error,
 * the output must too, and the two syntax trees must dump identically;
 * the output's tokens and comments must be the input's (up to `;`,
 * trailing commas and the spelling of sizes); and a line carrying
 * `sgc: allow` must hold the same tokens before and after, since such a
 * comment silences warnings on its own line only. When any check fails
 * fmt_source returns NULL rather than a wrong text.
 */
#include "fmt_old.h"

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
#include "src.h"

enum {
	MAX_WIDTH = 100, /* columns */
	STEP = 2,        /* indentation per level */
	CONT = 4,        /* continuation indent of a broken set expression */
	MAX_DEPTH = 4096 /* nesting the reader accepts (the grammar's is lower) */
};

/* ---- scanning ------------------------------------------------------------ */

enum tkind {
	K_EOF,
	K_IDENT,
	K_STRING,
	K_INT,
	K_SIZE,
	K_DURATION,
	K_CIDR,
	K_INSTANCE,
	K_IMPORT,
	K_PARAM,
	K_TRUE,
	K_FALSE,
	K_LBRACE,
	K_RBRACE,
	K_LBRACK,
	K_RBRACK,
	K_LPAREN,
	K_RPAREN,
	K_EQ,
	K_COLON,
	K_COMMA,
	K_DOT,
	K_PLUS,
	K_MINUS,
	K_SEMI,
	K_COMMENT,
};

/* One lexeme of the scan: a token (`;` included) or a comment. */
struct lexeme {
	enum tkind kind;
	const char *text; /* sizes as `50 GB`; comments without trailing blanks */
	uint32_t len;
	uint32_t line;    /* 1-based */
	uint32_t lo, hi;  /* byte offsets of the lexeme as written */
};

struct lexemes {
	struct lexeme *v;
	size_t n, cap;
};

static void push_lexeme(struct arena *a, struct lexemes *l, struct lexeme x)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct lexeme *v = arena_alloc(a, cap * sizeof *v);
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = x;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_word(char c)
{
	return is_word_start(c) || is_digit(c);
}

static bool is_lower_digit(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static size_t run_of(const char *s, size_t n, size_t i, bool (*in)(char))
{
	size_t j = i;
	while (j < n && in(s[j]))
		j++;
	return j - i;
}

/* Each m_* returns the length of the lexer.l rule's match at s[i], or 0. */

/* {WORD}(-[A-Za-z0-9_]+)* */
static size_t m_ident(const char *s, size_t n, size_t i)
{
	if (i >= n || !is_word_start(s[i]))
		return 0;
	size_t j = i + 1 + run_of(s, n, i + 1, is_word);
	while (j + 1 < n && s[j] == '-' && is_word(s[j + 1]))
		j += 1 + run_of(s, n, j + 1, is_word);
	return j - i;
}

/* [a-z0-9]+(-[a-z0-9]+)* */
static size_t m_instpart(const char *s, size_t n, size_t i)
{
	size_t j = i + run_of(s, n, i, is_lower_digit);
	if (j == i)
		return 0;
	while (j + 1 < n && s[j] == '-' && is_lower_digit(s[j + 1]))
		j += 1 + run_of(s, n, j + 1, is_lower_digit);
	return j - i;
}

/* "ml."{INSTPART}"."{INSTPART} */
static size_t m_instance(const char *s, size_t n, size_t i)
{
	if (n - i < 3 || memcmp(s + i, "ml.", 3) != 0)
		return 0;
	size_t a = m_instpart(s, n, i + 3);
	if (!a)
		return 0;
	size_t j = i + 3 + a;
	if (j >= n || s[j] != '.')
		return 0;
	size_t b = m_instpart(s, n, j + 1);
	return b ? j + 1 + b - i : 0;
}

/* {DIGIT}+("."{DIGIT}+){3}"/"{DIGIT}+ */
static size_t m_cidr(const char *s, size_t n, size_t i)
{
	size_t j = i + run_of(s, n, i, is_digit);
	if (j == i)
		return 0;
	for (int k = 0; k < 4; k++) {
		if (j >= n || s[j] != (k < 3 ? '.' : '/'))
			return 0;
		size_t d = run_of(s, n, j + 1, is_digit);
		if (!d)
			return 0;
		j += 1 + d;
	}
	return j - i;
}

/* {UNIT} at the start of s[0..n), longest first: its length, or 0. */
static size_t m_unit(const char *s, size_t n)
{
	static const char *const units[] = {
		"KiB", "MiB", "GiB", "TiB", "KB", "MB", "GB", "TB",
	};
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
		size_t l = strlen(units[k]);
		if (n >= l && memcmp(s, units[k], l) == 0)
			return l;
	}
	return 0;
}

/* {DIGIT}+[ \t]*({UNIT}); *unit_at is where the unit starts. */
static size_t m_size(const char *s, size_t n, size_t i, size_t *unit_at)
{
	size_t j = i + run_of(s, n, i, is_digit);
	if (j == i)
		return 0;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	size_t l = m_unit(s + j, n - j);
	if (!l)
		return 0;
	*unit_at = j;
	return j + l - i;
}

/* ({DIGIT}+[smhd])+ */
static size_t m_duration(const char *s, size_t n, size_t i)
{
	size_t j = i, end = i;
	for (;;) {
		size_t d = run_of(s, n, j, is_digit);
		if (!d || j + d >= n)
			break;
		char c = s[j + d];
		if (c != 's' && c != 'm' && c != 'h' && c != 'd')
			break;
		j += d + 1;
		end = j;
	}
	return end - i;
}

static bool is_bad_tail(char c)
{
	return is_word(c) || c == '.' || c == '/';
}

static enum tkind punct(char c)
{
	switch (c) {
	case '{': return K_LBRACE;
	case '}': return K_RBRACE;
	case '[': return K_LBRACK;
	case ']': return K_RBRACK;
	case '(': return K_LPAREN;
	case ')': return K_RPAREN;
	case '=': return K_EQ;
	case ':': return K_COLON;
	case ',': return K_COMMA;
	case '.': return K_DOT;
	case '+': return K_PLUS;
	case '-': return K_MINUS;
	case ';': return K_SEMI;
	default: return K_EOF;
	}
}

/*
 * Split s[0..n) the way grammar/lexer.l does (longest match, earlier rule
 * on a tie), keeping comments. False on anything the real scanner reports
 * as an error; the caller has already parsed the text, so that would be a
 * disagreement between the two scanners. Ends with a K_EOF lexeme.
 */
static bool scan(struct arena *a, const char *s, size_t n, struct lexemes *out)
{
	uint32_t line = 1;
	/* lexer.l skips a byte order mark at offset 0 (a second one, after fmt's). */
	size_t i = lex_bom_length(s, n);
	*out = (struct lexemes){ 0 };
	while (i < n) {
		char c = s[i];
		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (is_blank(c)) {
			i++;
			continue;
		}
		struct lexeme x = { .line = line, .lo = (uint32_t)i, .text = s + i };
		size_t len = 0;
		if (c == '#' || (c == '/' && i + 1 < n && s[i + 1] == '/')) {
			size_t j = i;
			while (j < n && s[j] != '\n')
				j++;
			size_t end = j;
			while (end > i + 1 && is_blank(s[end - 1]))
				end--;
			x.kind = K_COMMENT;
			x.len = (uint32_t)(end - i);
			len = j - i;
		} else if (c == '"') {
			size_t j = i + 1;
			bool closed = false;
			while (j < n && !closed) {
				if (s[j] == '"') {
					closed = true;
				} else if (s[j] == '\n') {
					break;
				} else if (s[j] == '\\') {
					if (j + 1 >= n || s[j + 1] == '\n')
						break;
					j++;
				}
				j++;
			}
			if (!closed)
				return false;
			x.kind = K_STRING;
			len = j - i;
		} else if (is_digit(c)) {
			size_t unit_at = 0;
			size_t cidr = m_cidr(s, n, i), size = m_size(s, n, i, &unit_at);
			size_t dur = m_duration(s, n, i), num = run_of(s, n, i, is_digit);
			size_t bad = 1 + run_of(s, n, i + 1, is_bad_tail);
			x.kind = K_CIDR;
			len = cidr;
			if (size > len) {
				x.kind = K_SIZE;
				len = size;
			}
			if (dur > len) {
				x.kind = K_DURATION;
				len = dur;
			}
			if (num > len) {
				x.kind = K_INT;
				len = num;
			}
			if (bad > len)
				return false;
			if (x.kind == K_SIZE) {
				/* `50GB`, `50  GB` and `50\tGB` are all `50 GB`. */
				x.text = arena_printf(a, "%.*s %.*s", (int)num, s + i,
						      (int)(i + len - unit_at), s + unit_at);
				x.len = (uint32_t)strlen(x.text);
			}
		} else if (is_word_start(c)) {
			size_t inst = m_instance(s, n, i), id = m_ident(s, n, i);
			if (inst > id) {
				x.kind = K_INSTANCE;
				len = inst;
			} else {
				static const struct {
					const char *word;
					enum tkind kind;
				} keywords[] = {
					{ "import", K_IMPORT }, { "param", K_PARAM },
					{ "true", K_TRUE }, { "false", K_FALSE },
				};
				x.kind = K_IDENT;
				len = id;
				for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
					if (strlen(keywords[k].word) == id &&
					    memcmp(s + i, keywords[k].word, id) == 0)
						x.kind = keywords[k].kind;
			}
		} else {
			x.kind = punct(c);
			if (x.kind == K_EOF)
				return false;
			len = 1;
		}
		if (x.kind != K_COMMENT && x.kind != K_SIZE)
			x.len = (uint32_t)len;
		x.hi = (uint32_t)(i + len);
		push_lexeme(a, out, x);
		i += len;
	}
	push_lexeme(a, out, (struct lexeme){ .kind = K_EOF, .text = "", .line = line,
					     .lo = (uint32_t)n, .hi = (uint32_t)n });
	return true;
}

/* Display width: UTF-8 code points (only strings and comments have others). */
static int cols(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
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

static bool has_line(const uint32_t *v, size_t n, uint32_t line)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == line;
}

struct comment {
	const char *text;
	uint32_t len;
	bool blank; /* a blank line separates it from what precedes it */
};

struct tok {
	enum tkind kind;
	const char *text;
	uint32_t len;
	uint32_t line;
	int width;
	bool blank;                  /* a blank line before it (or its comments) */
	bool marked;                 /* its line carries `sgc: allow` */
	bool hard;                   /* first on a marked line, or first after one */
	bool leads_done;             /* its own-line comments are printed */
	struct comment *lead;        /* own-line comments just before it */
	int nlead;
	const struct comment *trail; /* the comment after it on its line */
};

/*
 * Whether s[lo..hi), the gap between two lexemes (blanks and `;`), holds a
 * blank line: two newlines with nothing but blanks between them.
 */
static bool gap_has_blank_line(const char *s, uint32_t lo, uint32_t hi)
{
	bool newline = false;
	for (uint32_t k = lo; k < hi; k++) {
		if (s[k] == '\n') {
			if (newline)
				return true;
			newline = true;
		} else if (!is_blank(s[k])) {
			newline = false;
		}
	}
	return false;
}

/*
 * Tokens without `;` (they are dropped), each with its comments: a comment
 * after a token on the same line trails that token, any other comment
 * leads the next token (the closer of its block, or K_EOF, when nothing
 * else follows).
 */
static struct tok *attach(struct arena *a, const char *s, const struct lexemes *lx,
			  const uint32_t *marks, size_t nmarks, int *ntoks)
{
	struct tok *t = arena_calloc(a, lx->n, sizeof *t);
	struct comment *pend = arena_calloc(a, lx->n, sizeof *pend);
	int n = 0, npend = 0;
	bool have_prev = false;
	uint32_t prev_end = 0;
	for (size_t i = 0; i < lx->n; i++) {
		const struct lexeme *x = &lx->v[i];
		if (x->kind == K_SEMI)
			continue;
		bool blank = have_prev && gap_has_blank_line(s, prev_end, x->lo);
		if (x->kind == K_COMMENT) {
			if (n > 0 && t[n - 1].line == x->line && !t[n - 1].trail && npend == 0) {
				struct comment *c = arena_alloc(a, sizeof *c);
				*c = (struct comment){ x->text, x->len, false };
				t[n - 1].trail = c;
			} else {
				pend[npend++] = (struct comment){ x->text, x->len, blank };
			}
		} else {
			struct tok *k = &t[n++];
			*k = (struct tok){
				.kind = x->kind, .text = x->text, .len = x->len,
				.line = x->line, .width = cols(x->text, x->len),
				.blank = blank, .marked = has_line(marks, nmarks, x->line),
			};
			if (npend) {
				k->lead = arena_calloc(a, (size_t)npend, sizeof *k->lead);
				memcpy(k->lead, pend, (size_t)npend * sizeof *pend);
				k->nlead = npend;
				npend = 0;
			}
		}
		have_prev = true;
		prev_end = x->hi;
	}
	/*
	 * `# sgc: allow CODE` silences warnings on its own line only, so what
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

/* ---- the shape of the file ----------------------------------------------- */

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

struct reader {
	struct arena *a;
	struct tok *t;
	int pos, n;
	int depth;
};

static struct node *new_node(struct reader *r, enum nkind kind)
{
	struct node *e = arena_alloc(r->a, sizeof *e);
	e->kind = kind;
	e->first = e->last = r->pos;
	e->sep = -1;
	e->width = -1;
	for (int i = 0; i < 5; i++)
		e->t[i] = -1;
	return e;
}

static enum tkind peek(const struct reader *r, int ahead)
{
	return r->pos + ahead < r->n ? r->t[r->pos + ahead].kind : K_EOF;
}

/* The index of the next token if it is `kind` (consumed), else -1. */
static int take(struct reader *r, enum tkind kind)
{
	if (peek(r, 0) != kind || r->pos >= r->n)
		return -1;
	return r->pos++;
}

static void add_kid(struct reader *r, struct ptrvec *v, struct node *k)
{
	ptrvec_push(r->a, v, k);
}

static void set_kids(struct node *e, struct ptrvec *v)
{
	e->kids = (struct node **)v->items;
	e->n = (int)v->n;
}

static struct node *read_expr(struct reader *r);
static bool read_items(struct reader *r, struct node *block, enum tkind until);

static struct node *read_name(struct reader *r)
{
	struct node *e = new_node(r, N_NAME);
	if (take(r, K_IDENT) < 0 && take(r, K_PARAM) < 0)
		return NULL;
	while (peek(r, 0) == K_DOT) {
		r->pos++;
		if (take(r, K_IDENT) < 0)
			return NULL;
	}
	e->last = r->pos - 1;
	return e;
}

/* Comma-separated elements up to `closer` (consumed into e->t[1]). */
static bool read_seq(struct reader *r, struct node *e, enum tkind closer, bool entries)
{
	struct ptrvec v = { 0 };
	while (peek(r, 0) != closer) {
		struct node *k;
		if (entries) {
			k = new_node(r, N_ENTRY);
			if ((k->t[0] = take(r, K_IDENT)) < 0 && (k->t[0] = take(r, K_STRING)) < 0)
				return false;
			if ((k->t[1] = take(r, K_COLON)) < 0 || !(k->sub = read_expr(r)))
				return false;
			k->last = k->sub->last;
		} else if (!(k = read_expr(r))) {
			return false;
		}
		add_kid(r, &v, k);
		if ((k->sep = take(r, K_COMMA)) < 0)
			break;
	}
	set_kids(e, &v);
	if ((e->t[1] = take(r, closer)) < 0)
		return false;
	e->last = e->t[1];
	return true;
}

static struct node *read_term(struct reader *r)
{
	struct node *e;
	switch (peek(r, 0)) {
	case K_STRING: case K_INT: case K_SIZE: case K_DURATION: case K_CIDR:
	case K_INSTANCE: case K_TRUE: case K_FALSE:
		e = new_node(r, N_TOK);
		e->t[0] = r->pos++;
		return e;
	case K_IDENT: case K_PARAM: {
		struct node *name = read_name(r);
		if (!name || peek(r, 0) != K_LPAREN)
			return name;
		e = new_node(r, N_CALL);
		e->first = name->first;
		e->sub = name;
		e->t[0] = r->pos++;
		return read_seq(r, e, K_RPAREN, false) ? e : NULL;
	}
	case K_LBRACK:
		e = new_node(r, N_LIST);
		e->t[0] = r->pos++;
		return read_seq(r, e, K_RBRACK, false) ? e : NULL;
	case K_LBRACE:
		e = new_node(r, N_MAP);
		e->t[0] = r->pos++;
		return read_seq(r, e, K_RBRACE, true) ? e : NULL;
	case K_LPAREN:
		e = new_node(r, N_PAREN);
		e->t[0] = r->pos++;
		if (!(e->sub = read_expr(r)) || (e->t[1] = take(r, K_RPAREN)) < 0)
			return NULL;
		e->last = e->t[1];
		return e;
	default:
		return NULL;
	}
}

static struct node *read_expr(struct reader *r)
{
	if (++r->depth > MAX_DEPTH)
		return NULL;
	struct node *first = read_term(r);
	if (!first)
		return NULL;
	if (peek(r, 0) != K_PLUS && peek(r, 0) != K_MINUS) {
		r->depth--;
		return first;
	}
	struct node *e = new_node(r, N_BIN);
	e->first = first->first;
	struct ptrvec v = { 0 };
	add_kid(r, &v, first);
	while (peek(r, 0) == K_PLUS || peek(r, 0) == K_MINUS) {
		int op = r->pos++;
		struct node *term = read_term(r);
		if (!term)
			return NULL;
		term->sep = op;
		add_kid(r, &v, term);
	}
	set_kids(e, &v);
	e->last = e->kids[e->n - 1]->last;
	r->depth--;
	return e;
}

static struct node *read_item(struct reader *r)
{
	struct node *e;
	switch (peek(r, 0)) {
	case K_IMPORT:
		e = new_node(r, N_IMPORT);
		e->t[0] = r->pos++;
		if (!(e->sub = read_name(r)))
			return NULL;
		e->last = e->sub->last;
		return e;
	case K_PARAM:
		e = new_node(r, N_PARAM);
		e->t[0] = r->pos++;
		if ((e->t[1] = take(r, K_IDENT)) < 0 || (e->t[2] = take(r, K_COLON)) < 0 ||
		    (e->t[3] = take(r, K_IDENT)) < 0)
			return NULL;
		e->last = e->t[3];
		if ((e->t[4] = take(r, K_EQ)) >= 0) {
			if (!(e->sub = read_expr(r)))
				return NULL;
			e->last = e->sub->last;
		}
		return e;
	case K_IDENT:
		if (peek(r, 1) == K_EQ) {
			e = new_node(r, N_ATTR);
			e->t[0] = r->pos++;
			e->t[1] = r->pos++;
			if (!(e->sub = read_expr(r)))
				return NULL;
			e->last = e->sub->last;
			return e;
		}
		e = new_node(r, N_BLOCK);
		e->t[0] = r->pos++;
		e->t[1] = take(r, K_IDENT);
		if ((e->t[2] = take(r, K_LBRACE)) < 0)
			return NULL;
		if (++r->depth > MAX_DEPTH || !read_items(r, e, K_RBRACE))
			return NULL;
		r->depth--;
		if ((e->t[3] = take(r, K_RBRACE)) < 0)
			return NULL;
		e->last = e->t[3];
		return e;
	default:
		return NULL;
	}
}

static bool read_items(struct reader *r, struct node *block, enum tkind until)
{
	struct ptrvec v = { 0 };
	while (peek(r, 0) != until) {
		if (peek(r, 0) == K_EOF)
			return false;
		struct node *it = read_item(r);
		if (!it)
			return false;
		add_kid(r, &v, it);
	}
	set_kids(block, &v);
	return true;
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
};

/* Any comment inside t[lo..hi] (own-line before lo and trailing after hi excluded). */
static bool comments_within(const struct printer *p, int lo, int hi)
{
	return p->leads[hi + 1] - p->leads[lo + 1] > 0 || p->trails[hi] - p->trails[lo] > 0;
}

/* Whether e lies on one line of the input, and that line carries `sgc: allow`. */
static bool on_marked_line(const struct printer *p, const struct node *e)
{
	return p->t[e->first].marked && p->t[e->first].line == p->t[e->last].line;
}

/*
 * Whether the `.` at i, inside a name, needs a blank before it: a name
 * such as `x.ml .t3.large` must not become the instance type `ml.t3.large`.
 */
static bool dot_needs_space(const struct printer *p, const struct node *name, int i)
{
	if (i + 3 > name->last || p->t[i - 1].len != 2 || memcmp(p->t[i - 1].text, "ml", 2) != 0)
		return false;
	const struct tok *a = &p->t[i + 1], *b = &p->t[i + 3];
	return m_instpart(a->text, a->len, 0) == a->len && m_instpart(b->text, b->len, 0) > 0;
}

/*
 * Whether `next`, put after the integer ending `prev` on one line, would be
 * read as part of a size: `a = 1  GBx = 2` scans as `1  GB`, `x`, ...
 */
static bool reads_as_size(const struct printer *p, const struct node *prev, const struct node *next)
{
	const struct tok *last = &p->t[prev->last], *name = &p->t[next->first];
	return last->kind == K_INT && m_unit(name->text, name->len) > 0;
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
			w += p->t[i].width + (p->t[i].kind == K_DOT && dot_needs_space(p, e, i));
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
	} else if ((p->pending && !(k->kind == K_COMMA && !k->trail)) || (k->hard && !p->bol)) {
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
	if (k->kind == K_EOF)
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
			put(p, i, i == e->first ? space : p->t[i].kind == K_DOT && dot_needs_space(p, e, i));
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
		begin_line(p, k->first, outer + STEP);
		p->cont = outer + STEP + CONT;
		print_expr(p, k, 1, false);
		if (k->sep >= 0)
			put(p, k->sep, false);
		else
			text(p, ",", 1, 1, false);
	}
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
			    (i && reads_as_size(p, b->kids[i - 1], b->kids[i])))
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
 * A block's items (or the file's), one per line. Names in a run of
 * attributes not separated by a blank line, an own-line comment or another
 * item are padded to the longest.
 */
/*
 * An item that shares a line carrying `sgc: allow` with the token before it
 * (another item, or its block's `{`) stays on that line, since the comment
 * silences warnings on its own line only.
 */
static bool stays_on_marked_line(const struct printer *p, const struct node *it)
{
	const struct tok *first = &p->t[it->first];
	return it->first > 0 && first->marked && !first->nlead &&
	       first->line == p->t[it->first - 1].line;
}

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
	struct printer p = { .a = a, .t = t, .fresh = true };
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

/*
 * What must survive formatting, in order: the tokens without `;` and
 * without commas just before a closer, and the comments.
 */
struct kept {
	const struct lexeme **code, **com;
	size_t ncode, ncom;
};

static struct kept keep(struct arena *a, const struct lexemes *lx)
{
	struct kept k = {
		.code = arena_calloc(a, lx->n + 1, sizeof *k.code),
		.com = arena_calloc(a, lx->n + 1, sizeof *k.com),
	};
	for (size_t i = 0; i < lx->n; i++) {
		const struct lexeme *x = &lx->v[i];
		if (x->kind == K_COMMENT) {
			k.com[k.ncom++] = x;
			continue;
		}
		if (x->kind == K_SEMI || x->kind == K_EOF)
			continue;
		if (x->kind == K_COMMA) {
			size_t j = i + 1;
			while (j < lx->n && (lx->v[j].kind == K_COMMENT || lx->v[j].kind == K_SEMI))
				j++;
			enum tkind next = j < lx->n ? lx->v[j].kind : K_EOF;
			if (next == K_RBRACK || next == K_RBRACE || next == K_RPAREN)
				continue;
		}
		k.code[k.ncode++] = x;
	}
	return k;
}

static bool same_lexemes(const struct lexeme **x, const struct lexeme **y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (x[i]->kind != y[i]->kind || x[i]->len != y[i]->len ||
		    memcmp(x[i]->text, y[i]->text, x[i]->len) != 0)
			return false;
	return true;
}

/* [*lo, *hi): the lexemes of x[0..n) (sorted by line) on `line`. */
static void on_line(const struct lexeme **x, size_t n, uint32_t line, size_t *lo, size_t *hi)
{
	size_t a = 0, b = n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (x[mid]->line < line)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	b = n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (x[mid]->line <= line)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}

/*
 * Every line of `from` carrying `sgc: allow` must come out as one line of
 * `to` that carries it too and holds exactly the same tokens and comments.
 */
static bool allow_lines_kept(const struct kept *from, const uint32_t *fm, size_t nfm,
			     const struct kept *to, const uint32_t *tm, size_t ntm)
{
	for (size_t m = 0; m < nfm; m++) {
		size_t c0, c1, k0, k1;
		on_line(from->code, from->ncode, fm[m], &c0, &c1);
		on_line(from->com, from->ncom, fm[m], &k0, &k1);
		if (c0 == c1 && k0 == k1)
			continue;
		uint32_t line = c0 < c1 ? to->code[c0]->line : to->com[k0]->line;
		for (size_t i = c0; i < c1; i++)
			if (to->code[i]->line != line)
				return false;
		for (size_t i = k0; i < k1; i++)
			if (to->com[i]->line != line)
				return false;
		size_t d0, d1, e0, e1;
		on_line(to->code, to->ncode, line, &d0, &d1);
		on_line(to->com, to->ncom, line, &e0, &e1);
		if (d1 - d0 != c1 - c0 || e1 - e0 != k1 - k0 || !has_line(tm, ntm, line))
			return false;
	}
	return true;
}

static bool same_meaning(struct arena *a, const char *in, size_t in_len,
			 const struct lexemes *lin, const char *out, size_t out_len)
{
	struct lexemes lout;
	if (!scan(a, out, out_len, &lout))
		return false;
	struct kept x = keep(a, lin), y = keep(a, &lout);
	if (x.ncode != y.ncode || x.ncom != y.ncom || !same_lexemes(x.code, y.code, x.ncode) ||
	    !same_lexemes(x.com, y.com, x.ncom))
		return false;
	size_t nmi, nmo;
	uint32_t *mi = marker_lines(a, in, in_len, &nmi);
	uint32_t *mo = marker_lines(a, out, out_len, &nmo);
	return allow_lines_kept(&x, mi, nmi, &y, mo, nmo) &&
	       allow_lines_kept(&y, mo, nmo, &x, mi, nmi);
}

/* The syntax tree of map file `file` as ast_dump text (malloc'd), or NULL on any error. */
static char *parse_and_dump(struct arena *a, const struct src_map *m, uint32_t file,
			    size_t *len)
{
	struct diag_sink diags;
	diag_sink_init(&diags, a);
	struct ast_file *ast = parse_file(a, &diags, m, file);
	if (!ast || diag_has_errors(&diags))
		return NULL;
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

/* ---- entry point --------------------------------------------------------- */

const char *fmt_old_source(struct arena *a, const char *text, size_t len, size_t *out_len)
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
	const struct src_file *f = src_get(&m, in_file);
	if (src_invalid_utf8(f) != UINT32_MAX)
		return NULL;
	size_t dump_len = 0, dump2_len = 0;
	char *dump = parse_and_dump(a, &m, in_file, &dump_len);
	if (!dump)
		return NULL;

	const char *result = NULL;
	struct lexemes lx;
	int ntoks;
	size_t nmarks;
	uint32_t *marks = marker_lines(a, f->text, f->len, &nmarks);
	if (scan(a, f->text, f->len, &lx)) {
		struct tok *t = attach(a, f->text, &lx, marks, nmarks, &ntoks);
		struct reader r = { .a = a, .t = t, .n = ntoks };
		struct node *file = arena_alloc(a, sizeof *file);
		*file = (struct node){ .kind = N_BLOCK, .sep = -1, .width = -1 };
		if (read_items(&r, file, K_EOF) && r.pos == ntoks - 1) {
			size_t n;
			const char *out = print_file(a, t, ntoks, file, &n);
			if (same_meaning(a, f->text, f->len, &lx, out, n)) {
				uint32_t out_file = src_add(&m, "<output>", out, n);
				char *dump2 = parse_and_dump(a, &m, out_file, &dump2_len);
				if (dump2 && dump2_len == dump_len &&
				    memcmp(dump, dump2, dump_len) == 0) {
					result = out;
					if (out_len)
						*out_len = n;
				}
				free(dump2);
			}
		}
	}
	free(dump);
	return result;
}
