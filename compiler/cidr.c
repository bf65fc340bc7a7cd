/*
 * cidr.c - IPv4 CIDR blocks for sgc: a strict parser for "a.b.c.d/n" and the
 * block arithmetic built on it. The checker uses this module to validate the
 * VPC and subnet CIDRs a program declares (well-formed, aligned, nested in
 * their VPC, not overlapping one another) and to suggest a free block in
 * its "help:" notes; the parser's error offsets become diagnostic carets.
 *
 * Everything here is a pure function of its arguments: no globals, no
 * allocation, no diagnostics. The parser is deliberately stricter than
 * inet_aton(3): it takes exactly four decimal octets and no leading zeros,
 * because a silently reinterpreted address in a network definition is worse
 * than a compile error.
 */
#include "cidr.h"

#include <stdio.h>

/* Four octets and the prefix never need more than this many bytes. */
enum { BIG = 256 };

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

/* The parser's alphabet; anything else is reported as a stray character. */
static bool known(char c)
{
	return isdig(c) || c == '.' || c == '/';
}

static enum cidr_error fail(enum cidr_error err, size_t off, size_t *err_off)
{
	if (err_off)
		*err_off = off;
	return err;
}

/*
 * Scan a run of decimal digits starting at *pos. The value saturates at BIG
 * so that a run of any length can be range-checked without overflowing.
 * Returns the number of digits consumed.
 */
static size_t digits(const char *s, size_t len, size_t *pos, unsigned *val)
{
	size_t start = *pos;
	unsigned v = 0;

	while (*pos < len && isdig(s[*pos])) {
		if (v < BIG)
			v = v * 10 + (unsigned)(s[*pos] - '0');
		(*pos)++;
	}
	*val = v < BIG ? v : BIG;
	return *pos - start;
}

enum cidr_error cidr_parse(const char *s, size_t len, struct cidr *out,
			   size_t *err_off)
{
	uint32_t addr = 0;
	size_t pos = 0;
	size_t start, n;
	unsigned val;

	if (len == 0)
		return fail(CIDR_EMPTY, 0, err_off);

	for (int i = 0; i < 4; i++) {
		start = pos;
		if (pos < len && !known(s[pos]))
			return fail(CIDR_BAD_CHAR, pos, err_off);
		n = digits(s, len, &pos, &val);
		if (n == 0)
			return fail(CIDR_EMPTY_OCTET, start, err_off);
		if (n > 1 && s[start] == '0')
			return fail(CIDR_LEADING_ZERO, start, err_off);
		if (val > 255)
			return fail(CIDR_OCTET_RANGE, start, err_off);
		addr = (addr << 8) | val;

		if (pos < len && !known(s[pos]))
			return fail(CIDR_BAD_CHAR, pos, err_off);
		if (i < 3) {
			/* Too few octets: point at whatever ended the address. */
			if (pos == len || s[pos] == '/')
				return fail(CIDR_OCTET_COUNT, pos, err_off);
			pos++;
		}
	}

	if (pos == len)
		return fail(CIDR_MISSING_PREFIX, len, err_off);
	if (s[pos] == '.')
		return fail(CIDR_OCTET_COUNT, pos, err_off);
	pos++;

	start = pos;
	if (pos < len && !known(s[pos]))
		return fail(CIDR_BAD_CHAR, pos, err_off);
	n = digits(s, len, &pos, &val);
	if (n == 0 || (n > 1 && s[start] == '0') || val > 32)
		return fail(CIDR_PREFIX_RANGE, start, err_off);
	if (pos < len) {
		/*
		 * "/8x" has a stray character; "/8.5" and "/8/9" are well
		 * formed characters making a malformed prefix.
		 */
		if (!known(s[pos]))
			return fail(CIDR_BAD_CHAR, pos, err_off);
		return fail(CIDR_PREFIX_RANGE, start, err_off);
	}

	out->addr = addr;
	out->prefix = (uint8_t)val;
	return CIDR_OK;
}

const char *cidr_error_str(enum cidr_error err)
{
	switch (err) {
	case CIDR_OK:
		return "no error";
	case CIDR_EMPTY:
		return "empty cidr block";
	case CIDR_BAD_CHAR:
		return "unexpected character";
	case CIDR_EMPTY_OCTET:
		return "empty octet";
	case CIDR_OCTET_RANGE:
		return "octet is larger than 255";
	case CIDR_LEADING_ZERO:
		return "octet has a leading zero";
	case CIDR_OCTET_COUNT:
		return "address must have exactly four octets";
	case CIDR_MISSING_PREFIX:
		return "missing prefix length";
	case CIDR_PREFIX_RANGE:
		return "prefix length must be a number from 0 to 32";
	}
	/* Reachable only through a cast of a foreign value. */
	return "unknown cidr error";
}

uint32_t cidr_mask(uint8_t prefix)
{
	/*
	 * Shifting a 32-bit value by 32 is undefined, so shift by the prefix
	 * (making /0 a shift by 0) and special-case /32. Out-of-range
	 * prefixes clamp to /32 rather than invoking undefined behaviour.
	 */
	if (prefix >= 32)
		return UINT32_MAX;
	return ~(UINT32_MAX >> prefix);
}

uint32_t cidr_first(struct cidr c)
{
	return c.addr & cidr_mask(c.prefix);
}

uint32_t cidr_last(struct cidr c)
{
	return c.addr | ~cidr_mask(c.prefix);
}

uint64_t cidr_size(struct cidr c)
{
	/* 64 bits because /0 holds 2^32 addresses, one more than uint32_t. */
	return (uint64_t)cidr_last(c) - cidr_first(c) + 1;
}

bool cidr_has_host_bits(struct cidr c)
{
	return (c.addr & ~cidr_mask(c.prefix)) != 0;
}

struct cidr cidr_aligned(struct cidr c)
{
	c.addr = cidr_first(c);
	return c;
}

bool cidr_contains(struct cidr outer, struct cidr inner)
{
	/* Range containment already implies outer.prefix <= inner.prefix. */
	return cidr_first(inner) >= cidr_first(outer) &&
	       cidr_last(inner) <= cidr_last(outer);
}

bool cidr_overlaps(struct cidr a, struct cidr b)
{
	/* Aligned blocks are either nested or disjoint, never partial. */
	return cidr_first(a) <= cidr_last(b) && cidr_first(b) <= cidr_last(a);
}

int cidr_compare(struct cidr a, struct cidr b)
{
	uint32_t fa = cidr_first(a), fb = cidr_first(b);

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (a.prefix != b.prefix)
		return a.prefix < b.prefix ? -1 : 1;
	/*
	 * Same block written with different host bits: still order them so
	 * that sorting is deterministic and 0 means the values are equal.
	 */
	if (a.addr != b.addr)
		return a.addr < b.addr ? -1 : 1;
	return 0;
}

bool cidr_is_private(struct cidr c)
{
	static const struct cidr ranges[] = {
		{ 0x0a000000u, 8 },  /* 10.0.0.0/8 */
		{ 0xac100000u, 12 }, /* 172.16.0.0/12 */
		{ 0xc0a80000u, 16 }, /* 192.168.0.0/16 */
		{ 0x64400000u, 10 }, /* 100.64.0.0/10 */
	};

	/* A block that merely straddles a private range is not private. */
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (cidr_contains(ranges[i], c))
			return true;
	return false;
}

int cidr_format(struct cidr c, char *buf)
{
	return snprintf(buf, CIDR_STR_MAX, "%u.%u.%u.%u/%u",
			(unsigned)(c.addr >> 24), (unsigned)((c.addr >> 16) & 0xff),
			(unsigned)((c.addr >> 8) & 0xff), (unsigned)(c.addr & 0xff),
			(unsigned)c.prefix);
}

bool cidr_first_free(struct cidr within, uint8_t prefix,
		     const struct cidr *used, size_t n, struct cidr *out)
{
	/*
	 * The cursor is 64-bit so that stepping past 255.255.255.255 ends
	 * the search instead of wrapping back to 0.0.0.0.
	 */
	uint64_t end = (uint64_t)cidr_last(within) + 1;
	uint64_t step, cur;

	if (prefix > 32 || prefix < within.prefix)
		return false;
	step = (uint64_t)1 << (32 - prefix);

	for (cur = cidr_first(within); cur + step <= end;) {
		uint64_t last = cur + step - 1;
		uint64_t next = cur;

		for (size_t i = 0; i < n; i++)
			if (cidr_first(used[i]) <= last &&
			    cidr_last(used[i]) >= cur &&
			    cidr_last(used[i]) >= next)
				next = (uint64_t)cidr_last(used[i]) + 1;
		if (next == cur) {
			out->addr = (uint32_t)cur;
			out->prefix = prefix;
			return true;
		}
		/*
		 * Jump past the furthest colliding block, rounded up to the
		 * next aligned candidate: stepping one block at a time would
		 * take 2^32 iterations for a /32 search in a /0.
		 */
		cur = (next + step - 1) & ~(step - 1);
	}
	return false;
}
