/*
 * cidr.h - IPv4 CIDR blocks: exact parsing and the arithmetic the checker
 * needs (containment, overlap, alignment, free-block search).
 *
 * Pure functions over values; no allocation, no diagnostics. The checker
 * turns a `cidr_error` into a located diagnostic using `err_off`.
 */
#ifndef SGC_CIDR_H
#define SGC_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cidr {
	uint32_t addr;   /* network address as written (host bits may be set) */
	uint8_t prefix;  /* 0..32 */
};

enum cidr_error {
	CIDR_OK,
	CIDR_EMPTY,            /* nothing to parse */
	CIDR_BAD_CHAR,         /* a character that is not a digit, '.' or '/' */
	CIDR_EMPTY_OCTET,      /* "10..0.0/16", ".10.0.0.0/8" */
	CIDR_OCTET_RANGE,      /* an octet above 255 (or absurdly long) */
	CIDR_LEADING_ZERO,     /* "010.0.0.0/8": ambiguous (octal in inet_aton) */
	CIDR_OCTET_COUNT,      /* not exactly four octets */
	CIDR_MISSING_PREFIX,   /* no "/n" */
	CIDR_PREFIX_RANGE,     /* prefix above 32, empty, or with a leading zero */
};

/*
 * Parse exactly `len` bytes of `s` as "a.b.c.d/n". On failure returns the
 * error and sets *err_off to the byte offset (0..len) of the offending part,
 * so a caller can point a caret at it. *out is only written on success.
 */
enum cidr_error cidr_parse(const char *s, size_t len, struct cidr *out,
			   size_t *err_off);

/* Short lowercase description of an error, e.g. "octet is larger than 255". */
const char *cidr_error_str(enum cidr_error err);

uint32_t cidr_mask(uint8_t prefix);           /* /0 -> 0, /32 -> 0xffffffff */
uint32_t cidr_first(struct cidr c);           /* lowest address of the block */
uint32_t cidr_last(struct cidr c);            /* highest address of the block */
uint64_t cidr_size(struct cidr c);            /* 2^(32-prefix); /0 -> 2^32 */
bool cidr_has_host_bits(struct cidr c);
struct cidr cidr_aligned(struct cidr c);      /* host bits cleared */
bool cidr_contains(struct cidr outer, struct cidr inner);
bool cidr_overlaps(struct cidr a, struct cidr b);

/* Order by first address, then by prefix (shorter prefix first). */
int cidr_compare(struct cidr a, struct cidr b);

/* RFC 1918 (10/8, 172.16/12, 192.168/16) or RFC 6598 shared space (100.64/10). */
bool cidr_is_private(struct cidr c);

#define CIDR_STR_MAX 19 /* "255.255.255.255/32" plus NUL */

/* Write "a.b.c.d/n" into buf (at least CIDR_STR_MAX bytes); returns length. */
int cidr_format(struct cidr c, char *buf);

/*
 * Find the lowest block of size /prefix inside `within` that overlaps none
 * of used[0..n). Used for "help: try 10.0.3.0/24". Returns false if none.
 */
bool cidr_first_free(struct cidr within, uint8_t prefix,
		     const struct cidr *used, size_t n, struct cidr *out);

#endif
