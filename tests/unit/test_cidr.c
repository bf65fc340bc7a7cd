/*
 * test_cidr.c - unit tests for compiler/cidr.c, the IPv4 CIDR parser and
 * block arithmetic the checker uses to validate VPC and subnet CIDRs.
 *
 * The parser is tested through the exact byte counts it is given, never
 * through NUL termination, and its error offsets are pinned down because
 * they become diagnostic carets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cidr.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	 (uint32_t)(d))

static struct cidr blk(uint32_t addr, uint8_t prefix)
{
	struct cidr c = { addr, prefix };
	return c;
}

/*
 * Parse a copy of `s` held in a buffer of exactly strlen(s) bytes, so that
 * AddressSanitizer flags any read past `len`.
 */
static enum cidr_error parse(const char *s, struct cidr *out, size_t *off)
{
	size_t len = strlen(s);
	char *buf = malloc(len ? len : 1);
	enum cidr_error err;

	assert_non_null(buf);
	memcpy(buf, s, len);
	err = cidr_parse(buf, len, out, off);
	free(buf);
	return err;
}

static void parse_ok(const char *s, uint32_t addr, uint8_t prefix)
{
	struct cidr c = { 0xdeadbeefu, 99 };
	size_t off = 12345;

	assert_int_equal(parse(s, &c, &off), CIDR_OK);
	assert_int_equal(c.addr, addr);
	assert_int_equal(c.prefix, prefix);
}

/* Also checks that a failed parse leaves *out alone. */
static void parse_err(const char *s, enum cidr_error want, size_t want_off)
{
	struct cidr c = { 0xdeadbeefu, 99 };
	size_t off = 12345;

	assert_int_equal(parse(s, &c, &off), want);
	assert_int_equal(off, want_off);
	assert_int_equal(c.addr, 0xdeadbeefu);
	assert_int_equal(c.prefix, 99);
}

/* ---- cidr_parse: accepted input ---- */

static void test_parse_basic(void **state)
{
	(void)state;
	parse_ok("10.0.0.0/16", IP(10, 0, 0, 0), 16);
	parse_ok("192.168.1.0/24", IP(192, 168, 1, 0), 24);
	parse_ok("1.2.3.4/32", IP(1, 2, 3, 4), 32);
}

static void test_parse_all_zeros_slash0(void **state)
{
	(void)state;
	parse_ok("0.0.0.0/0", 0, 0);
}

static void test_parse_all_ones_slash32(void **state)
{
	(void)state;
	parse_ok("255.255.255.255/32", UINT32_MAX, 32);
}

static void test_parse_lone_zero_is_not_leading_zero(void **state)
{
	(void)state;
	parse_ok("0.10.0.100/30", IP(0, 10, 0, 100), 30);
	parse_ok("10.0.0.0/8", IP(10, 0, 0, 0), 8);
}

static void test_parse_octet_255_and_prefix_32_accepted(void **state)
{
	(void)state;
	parse_ok("255.0.0.0/8", IP(255, 0, 0, 0), 8);
	parse_ok("0.0.0.255/32", IP(0, 0, 0, 255), 32);
	parse_ok("100.200.250.9/31", IP(100, 200, 250, 9), 31);
}

static void test_parse_keeps_host_bits(void **state)
{
	(void)state;
	parse_ok("10.0.0.5/8", IP(10, 0, 0, 5), 8);
}

/* ---- cidr_parse: rejected input and offsets ---- */

static void test_parse_empty(void **state)
{
	struct cidr c = { 1, 2 };
	size_t off = 77;

	(void)state;
	parse_err("", CIDR_EMPTY, 0);
	/* Zero bytes must not be read, so a null pointer is acceptable. */
	assert_int_equal(cidr_parse(NULL, 0, &c, &off), CIDR_EMPTY);
	assert_int_equal(off, 0);
	assert_int_equal(c.addr, 1);
}

static void test_parse_leading_zero_octet(void **state)
{
	(void)state;
	parse_err("010.0.0.0/8", CIDR_LEADING_ZERO, 0);
	parse_err("10.00.0.0/16", CIDR_LEADING_ZERO, 3);
	parse_err("10.0.0.01/32", CIDR_LEADING_ZERO, 7);
	parse_err("10.0.0.000/32", CIDR_LEADING_ZERO, 7);
}

static void test_parse_leading_zero_prefix(void **state)
{
	(void)state;
	parse_err("10.0.0.0/08", CIDR_PREFIX_RANGE, 9);
	parse_err("10.0.0.0/00", CIDR_PREFIX_RANGE, 9);
	parse_err("10.0.0.0/032", CIDR_PREFIX_RANGE, 9);
}

static void test_parse_octet_256(void **state)
{
	(void)state;
	parse_err("256.0.0.0/8", CIDR_OCTET_RANGE, 0);
	parse_err("10.0.0.256/32", CIDR_OCTET_RANGE, 7);
	parse_err("10.999.0.0/16", CIDR_OCTET_RANGE, 3);
}

static void test_parse_prefix_33(void **state)
{
	(void)state;
	parse_err("10.0.0.0/33", CIDR_PREFIX_RANGE, 9);
	parse_err("10.0.0.0/100", CIDR_PREFIX_RANGE, 9);
	parse_err("255.255.255.255/255", CIDR_PREFIX_RANGE, 16);
}

static void test_parse_huge_digit_runs(void **state)
{
	enum { N = 10000 };
	char *buf = malloc(N + 8);
	struct cidr c;
	size_t off = 0;

	(void)state;
	parse_err("99999999999999999999.0.0.0/8", CIDR_OCTET_RANGE, 0);
	/* 2^32 + 10 and 2^64 + 10 would wrap to a valid octet if truncated. */
	parse_err("4294967306.0.0.0/8", CIDR_OCTET_RANGE, 0);
	parse_err("18446744073709551626.0.0.0/8", CIDR_OCTET_RANGE, 0);
	parse_err("1.2.3.4/99999999999999999999", CIDR_PREFIX_RANGE, 8);
	parse_err("1.2.3.4/4294967304", CIDR_PREFIX_RANGE, 8);

	assert_non_null(buf);
	memset(buf, '9', N);
	memcpy(buf + N, ".0.0.0/8", 8);
	assert_int_equal(cidr_parse(buf, N + 8, &c, &off), CIDR_OCTET_RANGE);
	assert_int_equal(off, 0);
	free(buf);
}

static void test_parse_missing_prefix(void **state)
{
	(void)state;
	parse_err("10.0.0.0", CIDR_MISSING_PREFIX, 8);
	parse_err("255.255.255.255", CIDR_MISSING_PREFIX, 15);
}

static void test_parse_empty_prefix(void **state)
{
	(void)state;
	parse_err("10.0.0.0/", CIDR_PREFIX_RANGE, 9);
}

static void test_parse_three_octets(void **state)
{
	(void)state;
	parse_err("10.0.0/8", CIDR_OCTET_COUNT, 6);
	parse_err("10.0.0", CIDR_OCTET_COUNT, 6);
	parse_err("10/8", CIDR_OCTET_COUNT, 2);
}

static void test_parse_five_octets(void **state)
{
	(void)state;
	parse_err("10.0.0.0.0/8", CIDR_OCTET_COUNT, 8);
	parse_err("1.2.3.4.5", CIDR_OCTET_COUNT, 7);
	parse_err("1.2.3.4./8", CIDR_OCTET_COUNT, 7);
}

static void test_parse_empty_octets(void **state)
{
	(void)state;
	parse_err("10..0.0/16", CIDR_EMPTY_OCTET, 3);
	parse_err(".10.0.0.0/8", CIDR_EMPTY_OCTET, 0);
	parse_err("10.0.0./8", CIDR_EMPTY_OCTET, 7);
	parse_err("10.0.0.", CIDR_EMPTY_OCTET, 7);
	parse_err("/8", CIDR_EMPTY_OCTET, 0);
	parse_err("...", CIDR_EMPTY_OCTET, 0);
}

static void test_parse_bad_char(void **state)
{
	(void)state;
	parse_err(" 10.0.0.0/8", CIDR_BAD_CHAR, 0);
	parse_err("10.a.0.0/8", CIDR_BAD_CHAR, 3);
	parse_err("1O.0.0.0/8", CIDR_BAD_CHAR, 1);
	parse_err("-1.0.0.0/8", CIDR_BAD_CHAR, 0);
	parse_err("10.0.0.0 /8", CIDR_BAD_CHAR, 8);
	parse_err("10.0.0.0/ 8", CIDR_BAD_CHAR, 9);
	parse_err("10.0.0.0/-8", CIDR_BAD_CHAR, 9);
	parse_err("10.0.0.0/+8", CIDR_BAD_CHAR, 9);
	parse_err("0x0a.0.0.0/8", CIDR_BAD_CHAR, 1);
}

static void test_parse_trailing_garbage(void **state)
{
	(void)state;
	parse_err("10.0.0.0/8 ", CIDR_BAD_CHAR, 10);
	parse_err("10.0.0.0/8x", CIDR_BAD_CHAR, 10);
	parse_err("10.0.0.0/24garbage", CIDR_BAD_CHAR, 11);
	/* Characters of the alphabet that cannot follow a prefix. */
	parse_err("10.0.0.0/8/9", CIDR_PREFIX_RANGE, 9);
	parse_err("10.0.0.0/8.5", CIDR_PREFIX_RANGE, 9);
	parse_err("10.0.0.0/8/", CIDR_PREFIX_RANGE, 9);
}

static void test_parse_reports_leftmost_error(void **state)
{
	(void)state;
	parse_err("256.0.0.0/33", CIDR_OCTET_RANGE, 0);
	parse_err("01.0.0.0/99", CIDR_LEADING_ZERO, 0);
	parse_err("1.2.3.400/x", CIDR_OCTET_RANGE, 6);
}

static void test_parse_embedded_nul_is_a_byte(void **state)
{
	static const char s[] = "10.0.0.0/8\0";
	struct cidr c;
	size_t off = 0;

	(void)state;
	assert_int_equal(cidr_parse(s, sizeof s - 1, &c, &off), CIDR_BAD_CHAR);
	assert_int_equal(off, 10);
}

static void test_parse_prefix_of_longer_buffer(void **state)
{
	static const char s[] = "10.1.2.3/24999 and more";
	struct cidr c = { 0, 0 };
	size_t off = 0;

	(void)state;
	assert_int_equal(cidr_parse(s, 11, &c, &off), CIDR_OK);
	assert_int_equal(c.addr, IP(10, 1, 2, 3));
	assert_int_equal(c.prefix, 24);

	assert_int_equal(cidr_parse(s, 10, &c, &off), CIDR_OK);
	assert_int_equal(c.prefix, 2);

	assert_int_equal(cidr_parse(s, 12, &c, &off), CIDR_PREFIX_RANGE);
	assert_int_equal(off, 9);

	assert_int_equal(cidr_parse(s, 8, &c, &off), CIDR_MISSING_PREFIX);
	assert_int_equal(off, 8);

	assert_int_equal(cidr_parse(s, 9, &c, &off), CIDR_PREFIX_RANGE);
	assert_int_equal(off, 9);

	assert_int_equal(cidr_parse(s, 6, &c, &off), CIDR_OCTET_COUNT);
	assert_int_equal(off, 6);
}

static void test_parse_unterminated_array(void **state)
{
	/* No NUL anywhere: reading past the array would be caught by ASan. */
	static const char s[11] = { '1', '0', '.', '0', '.', '0', '.', '0',
				    '/', '1', '6' };
	struct cidr c = { 0, 0 };
	size_t off = 0;

	(void)state;
	assert_int_equal(cidr_parse(s, sizeof s, &c, &off), CIDR_OK);
	assert_int_equal(c.addr, IP(10, 0, 0, 0));
	assert_int_equal(c.prefix, 16);
}

/* ---- cidr_error_str ---- */

static void test_error_str(void **state)
{
	static const enum cidr_error all[] = {
		CIDR_OK, CIDR_EMPTY, CIDR_BAD_CHAR, CIDR_EMPTY_OCTET,
		CIDR_OCTET_RANGE, CIDR_LEADING_ZERO, CIDR_OCTET_COUNT,
		CIDR_MISSING_PREFIX, CIDR_PREFIX_RANGE,
	};
	size_t n = sizeof all / sizeof all[0];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		const char *s = cidr_error_str(all[i]);

		assert_non_null(s);
		assert_true(s[0] >= 'a' && s[0] <= 'z');
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(s, cidr_error_str(all[j]));
	}
	assert_string_equal(cidr_error_str(CIDR_OCTET_RANGE),
			    "octet is larger than 255");
	assert_non_null(cidr_error_str((enum cidr_error)1000));
}

/* ---- masks, bounds, sizes ---- */

static void test_mask(void **state)
{
	(void)state;
	assert_int_equal(cidr_mask(0), 0);
	assert_int_equal(cidr_mask(1), 0x80000000u);
	assert_int_equal(cidr_mask(8), 0xff000000u);
	assert_int_equal(cidr_mask(12), 0xfff00000u);
	assert_int_equal(cidr_mask(31), 0xfffffffeu);
	assert_int_equal(cidr_mask(32), 0xffffffffu);
}

static void test_first_last(void **state)
{
	(void)state;
	assert_int_equal(cidr_first(blk(IP(10, 1, 2, 3), 8)), IP(10, 0, 0, 0));
	assert_int_equal(cidr_last(blk(IP(10, 1, 2, 3), 8)),
			 IP(10, 255, 255, 255));
	assert_int_equal(cidr_first(blk(IP(1, 2, 3, 4), 0)), 0);
	assert_int_equal(cidr_last(blk(IP(1, 2, 3, 4), 0)), UINT32_MAX);
	assert_int_equal(cidr_first(blk(IP(1, 2, 3, 4), 32)), IP(1, 2, 3, 4));
	assert_int_equal(cidr_last(blk(IP(1, 2, 3, 4), 32)), IP(1, 2, 3, 4));
	assert_int_equal(cidr_last(blk(IP(172, 16, 0, 0), 12)),
			 IP(172, 31, 255, 255));
}

static void test_size(void **state)
{
	(void)state;
	assert_true(cidr_size(blk(0, 0)) == UINT64_C(4294967296));
	assert_true(cidr_size(blk(IP(9, 9, 9, 9), 0)) == UINT64_C(4294967296));
	assert_true(cidr_size(blk(UINT32_MAX, 32)) == 1);
	assert_true(cidr_size(blk(0, 32)) == 1);
	assert_true(cidr_size(blk(IP(10, 0, 0, 0), 24)) == 256);
	assert_true(cidr_size(blk(IP(128, 0, 0, 0), 1)) == UINT64_C(2147483648));
}

static void test_has_host_bits(void **state)
{
	(void)state;
	assert_false(cidr_has_host_bits(blk(IP(10, 0, 0, 0), 8)));
	assert_true(cidr_has_host_bits(blk(IP(10, 0, 0, 1), 8)));
	assert_false(cidr_has_host_bits(blk(IP(10, 1, 0, 0), 16)));
	assert_true(cidr_has_host_bits(blk(IP(10, 1, 0, 0), 15)));
	assert_false(cidr_has_host_bits(blk(UINT32_MAX, 32)));
	assert_false(cidr_has_host_bits(blk(0, 0)));
	assert_true(cidr_has_host_bits(blk(IP(128, 0, 0, 0), 0)));
	assert_true(cidr_has_host_bits(blk(1, 0)));
}

static void test_aligned(void **state)
{
	struct cidr a;

	(void)state;
	a = cidr_aligned(blk(IP(10, 1, 2, 3), 16));
	assert_int_equal(a.addr, IP(10, 1, 0, 0));
	assert_int_equal(a.prefix, 16);
	assert_false(cidr_has_host_bits(a));

	a = cidr_aligned(blk(UINT32_MAX, 0));
	assert_int_equal(a.addr, 0);
	assert_int_equal(a.prefix, 0);

	a = cidr_aligned(blk(UINT32_MAX, 32));
	assert_int_equal(a.addr, UINT32_MAX);
	assert_int_equal(a.prefix, 32);

	a = cidr_aligned(blk(IP(10, 0, 0, 255), 25));
	assert_int_equal(a.addr, IP(10, 0, 0, 128));
}

/* ---- containment and overlap ---- */

static void test_contains(void **state)
{
	struct cidr vpc = blk(IP(10, 0, 0, 0), 16);

	(void)state;
	assert_true(cidr_contains(vpc, blk(IP(10, 0, 1, 0), 24)));
	assert_true(cidr_contains(vpc, blk(IP(10, 0, 255, 255), 32)));
	assert_false(cidr_contains(vpc, blk(IP(10, 1, 0, 0), 24)));
	assert_false(cidr_contains(vpc, blk(IP(9, 255, 255, 255), 32)));
	/* Inner must not be larger, even when it starts at the same address. */
	assert_false(cidr_contains(blk(IP(10, 0, 1, 0), 24), vpc));
	assert_false(cidr_contains(vpc, blk(IP(10, 0, 0, 0), 15)));
	/* Host bits in either operand are ignored. */
	assert_true(cidr_contains(blk(IP(10, 0, 0, 5), 8),
				  blk(IP(10, 200, 0, 0), 16)));
	assert_true(cidr_contains(vpc, blk(IP(10, 0, 3, 7), 24)));
}

static void test_contains_equal_blocks(void **state)
{
	(void)state;
	assert_true(cidr_contains(blk(IP(10, 0, 0, 0), 16),
				  blk(IP(10, 0, 0, 0), 16)));
	assert_true(cidr_contains(blk(UINT32_MAX, 32), blk(UINT32_MAX, 32)));
	assert_false(cidr_contains(blk(UINT32_MAX, 32),
				   blk(UINT32_MAX - 1, 32)));
	assert_true(cidr_contains(blk(0, 0), blk(0, 0)));
}

static void test_slash0_contains_everything(void **state)
{
	struct cidr all = blk(0, 0);

	(void)state;
	assert_true(cidr_contains(all, blk(UINT32_MAX, 32)));
	assert_true(cidr_contains(all, blk(0, 32)));
	assert_true(cidr_contains(all, blk(IP(128, 0, 0, 0), 1)));
	assert_true(cidr_contains(all, blk(IP(10, 0, 0, 0), 8)));
	assert_false(cidr_contains(blk(IP(128, 0, 0, 0), 1), all));
}

static void test_overlaps(void **state)
{
	struct cidr a = blk(IP(10, 0, 0, 0), 24);
	struct cidr b = blk(IP(10, 0, 1, 0), 24);
	struct cidr big = blk(IP(10, 0, 0, 0), 16);

	(void)state;
	/* Adjacent blocks share no address. */
	assert_false(cidr_overlaps(a, b));
	assert_false(cidr_overlaps(b, a));
	assert_false(cidr_overlaps(blk(IP(10, 0, 0, 255), 32),
				   blk(IP(10, 0, 1, 0), 32)));
	/* Nested blocks overlap in both directions. */
	assert_true(cidr_overlaps(big, b));
	assert_true(cidr_overlaps(b, big));
	assert_true(cidr_overlaps(a, a));
	assert_false(cidr_overlaps(big, blk(IP(10, 1, 0, 0), 16)));
	assert_true(cidr_overlaps(blk(0, 0), blk(UINT32_MAX, 32)));
	assert_true(cidr_overlaps(blk(UINT32_MAX, 32),
				  blk(IP(255, 255, 255, 0), 24)));
	/* Host bits do not move a block. */
	assert_true(cidr_overlaps(blk(IP(10, 0, 1, 9), 24),
				  blk(IP(10, 0, 1, 200), 32)));
	assert_false(cidr_overlaps(blk(IP(10, 0, 1, 9), 24),
				   blk(IP(10, 0, 2, 0), 32)));
}

/* ---- ordering ---- */

static void test_compare_by_first_address(void **state)
{
	(void)state;
	assert_true(cidr_compare(blk(IP(10, 0, 0, 0), 16),
				 blk(IP(10, 1, 0, 0), 16)) < 0);
	assert_true(cidr_compare(blk(IP(10, 1, 0, 0), 16),
				 blk(IP(10, 0, 0, 0), 16)) > 0);
	assert_true(cidr_compare(blk(IP(9, 255, 255, 255), 32),
				 blk(IP(10, 0, 0, 0), 8)) < 0);
	/* Unsigned: addresses at or above 128.0.0.0 sort last. */
	assert_true(cidr_compare(blk(IP(128, 0, 0, 0), 1),
				 blk(IP(1, 0, 0, 0), 8)) > 0);
	/* The first address, not the written one, decides. */
	assert_true(cidr_compare(blk(IP(10, 0, 0, 200), 8),
				 blk(IP(10, 0, 0, 100), 32)) < 0);
}

static void test_compare_shorter_prefix_first(void **state)
{
	(void)state;
	assert_true(cidr_compare(blk(IP(10, 0, 0, 0), 8),
				 blk(IP(10, 0, 0, 0), 16)) < 0);
	assert_true(cidr_compare(blk(IP(10, 0, 0, 0), 16),
				 blk(IP(10, 0, 0, 0), 8)) > 0);
	assert_true(cidr_compare(blk(0, 0), blk(0, 32)) < 0);
}

static void test_compare_equal(void **state)
{
	(void)state;
	assert_int_equal(cidr_compare(blk(IP(10, 0, 0, 0), 8),
				      blk(IP(10, 0, 0, 0), 8)), 0);
	assert_int_equal(cidr_compare(blk(UINT32_MAX, 32),
				      blk(UINT32_MAX, 32)), 0);
	/* The same block written with different host bits is still ordered. */
	assert_true(cidr_compare(blk(IP(10, 0, 0, 1), 8),
				 blk(IP(10, 0, 0, 2), 8)) < 0);
	assert_true(cidr_compare(blk(IP(10, 0, 0, 2), 8),
				 blk(IP(10, 0, 0, 1), 8)) > 0);
}

/* ---- private ranges ---- */

static bool priv(uint32_t addr, uint8_t prefix)
{
	return cidr_is_private(blk(addr, prefix));
}

static void test_private_10(void **state)
{
	(void)state;
	assert_true(priv(IP(10, 0, 0, 0), 8));
	assert_true(priv(IP(10, 0, 0, 0), 32));
	assert_true(priv(IP(10, 255, 255, 255), 32));
	assert_true(priv(IP(10, 20, 0, 0), 16));
	assert_false(priv(IP(9, 255, 255, 255), 32));
	assert_false(priv(IP(11, 0, 0, 0), 32));
	/* A block straddling the range is not private. */
	assert_false(priv(IP(10, 0, 0, 0), 7));
	/* Host bits do not change which block is meant. */
	assert_true(priv(IP(10, 1, 2, 3), 8));
}

static void test_private_172(void **state)
{
	(void)state;
	assert_false(priv(IP(172, 15, 255, 255), 32));
	assert_true(priv(IP(172, 16, 0, 0), 32));
	assert_true(priv(IP(172, 31, 255, 255), 32));
	assert_false(priv(IP(172, 32, 0, 0), 32));
	assert_true(priv(IP(172, 16, 0, 0), 12));
	assert_false(priv(IP(172, 16, 0, 0), 11));
	assert_true(priv(IP(172, 20, 5, 0), 24));
}

static void test_private_192_168(void **state)
{
	(void)state;
	assert_true(priv(IP(192, 168, 0, 0), 16));
	assert_true(priv(IP(192, 168, 255, 255), 32));
	assert_false(priv(IP(192, 167, 255, 255), 32));
	assert_false(priv(IP(192, 169, 0, 0), 32));
	assert_false(priv(IP(192, 168, 0, 0), 15));
}

static void test_private_100_64(void **state)
{
	(void)state;
	assert_true(priv(IP(100, 64, 0, 0), 10));
	assert_true(priv(IP(100, 64, 0, 0), 32));
	assert_true(priv(IP(100, 127, 255, 255), 32));
	assert_false(priv(IP(100, 63, 255, 255), 32));
	assert_false(priv(IP(100, 128, 0, 0), 32));
	assert_false(priv(IP(100, 64, 0, 0), 9));
}

static void test_public_is_not_private(void **state)
{
	(void)state;
	assert_false(priv(IP(8, 8, 8, 8), 32));
	assert_false(priv(0, 0));
	assert_false(priv(UINT32_MAX, 32));
	assert_false(priv(IP(11, 0, 0, 0), 8));
}

/* ---- formatting ---- */

static void test_format_round_trip(void **state)
{
	static const char *const strs[] = {
		"0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/16",
		"172.16.5.0/24", "192.168.100.1/32", "10.0.0.5/8",
		"1.2.3.4/31", "100.64.0.0/10",
	};

	(void)state;
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		struct cidr c = { 0, 0 }, back = { 1, 1 };
		char buf[CIDR_STR_MAX];
		size_t off = 0;

		assert_int_equal(parse(strs[i], &c, &off), CIDR_OK);
		assert_int_equal(cidr_format(c, buf), (int)strlen(strs[i]));
		assert_string_equal(buf, strs[i]);
		assert_int_equal(parse(buf, &back, &off), CIDR_OK);
		assert_int_equal(back.addr, c.addr);
		assert_int_equal(back.prefix, c.prefix);
	}
}

static void test_format_longest_fits(void **state)
{
	char buf[32];

	(void)state;
	memset(buf, 'X', sizeof buf);
	assert_int_equal(cidr_format(blk(UINT32_MAX, 32), buf),
			 CIDR_STR_MAX - 1);
	assert_string_equal(buf, "255.255.255.255/32");
	for (size_t i = CIDR_STR_MAX; i < sizeof buf; i++)
		assert_int_equal(buf[i], 'X');
}

/* ---- first free block ---- */

static void free_ok(struct cidr within, uint8_t prefix,
		    const struct cidr *used, size_t n, uint32_t addr)
{
	struct cidr out = { 0xdeadbeefu, 99 };

	assert_true(cidr_first_free(within, prefix, used, n, &out));
	assert_int_equal(out.addr, addr);
	assert_int_equal(out.prefix, prefix);
}

static void free_none(struct cidr within, uint8_t prefix,
		      const struct cidr *used, size_t n)
{
	struct cidr out = { 0xdeadbeefu, 99 };

	assert_false(cidr_first_free(within, prefix, used, n, &out));
	assert_int_equal(out.addr, 0xdeadbeefu);
	assert_int_equal(out.prefix, 99);
}

static void test_first_free_empty_used(void **state)
{
	(void)state;
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, NULL, 0, IP(10, 0, 0, 0));
	free_ok(blk(IP(10, 0, 0, 0), 16), 16, NULL, 0, IP(10, 0, 0, 0));
	free_ok(blk(0, 0), 0, NULL, 0, 0);
	free_ok(blk(UINT32_MAX, 32), 32, NULL, 0, UINT32_MAX);
	/* A within with host bits searches its whole block. */
	free_ok(blk(IP(10, 0, 5, 5), 16), 24, NULL, 0, IP(10, 0, 0, 0));
}

static void test_first_free_fully_used(void **state)
{
	const struct cidr whole[] = { { IP(10, 0, 0, 0), 16 } };
	const struct cidr halves[] = {
		{ IP(10, 0, 128, 0), 17 }, { IP(10, 0, 0, 0), 17 },
	};
	const struct cidr all[] = { { 0, 0 } };

	(void)state;
	free_none(blk(IP(10, 0, 0, 0), 16), 24, whole, 1);
	free_none(blk(IP(10, 0, 0, 0), 16), 16, whole, 1);
	free_none(blk(IP(10, 0, 0, 0), 16), 32, halves, 2);
	free_none(blk(IP(10, 0, 0, 0), 16), 24, all, 1);
	free_none(blk(0, 0), 32, all, 1);
}

static void test_first_free_skips_used(void **state)
{
	const struct cidr used[] = {
		{ IP(10, 0, 2, 0), 24 }, { IP(10, 0, 0, 0), 24 },
		{ IP(10, 0, 1, 0), 24 },
	};
	const struct cidr gap[] = {
		{ IP(10, 0, 0, 0), 24 }, { IP(10, 0, 2, 0), 24 },
	};
	const struct cidr wide[] = { { IP(10, 0, 0, 0), 23 } };

	(void)state;
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, used, 3, IP(10, 0, 3, 0));
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, gap, 2, IP(10, 0, 1, 0));
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, wide, 1, IP(10, 0, 2, 0));
	/* Searching for a larger block skips every block that touches used. */
	free_ok(blk(IP(10, 0, 0, 0), 16), 22, used, 3, IP(10, 0, 4, 0));
}

static void test_first_free_small_used_blocks(void **state)
{
	/* A single used address spoils its whole candidate block. */
	const struct cidr one[] = { { IP(10, 0, 0, 5), 32 } };
	const struct cidr two[] = {
		{ IP(10, 0, 1, 128), 25 }, { IP(10, 0, 0, 0), 24 },
	};

	(void)state;
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, one, 1, IP(10, 0, 1, 0));
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, two, 2, IP(10, 0, 2, 0));
	free_ok(blk(IP(10, 0, 0, 0), 16), 25, two, 2, IP(10, 0, 1, 0));
}

static void test_first_free_ignores_outside_and_host_bits(void **state)
{
	const struct cidr outside[] = {
		{ IP(10, 1, 0, 0), 16 }, { IP(9, 255, 255, 255), 32 },
	};
	const struct cidr sloppy[] = { { IP(10, 0, 0, 7), 24 } };

	(void)state;
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, outside, 2, IP(10, 0, 0, 0));
	free_ok(blk(IP(10, 0, 0, 0), 16), 24, sloppy, 1, IP(10, 0, 1, 0));
}

static void test_first_free_slash0_slash32(void **state)
{
	const struct cidr low[] = { { 0, 1 } };
	const struct cidr spread[] = {
		{ IP(128, 0, 0, 0), 2 }, { 0, 1 }, { IP(192, 0, 0, 0), 8 },
	};

	(void)state;
	/* Stepping one /32 at a time would take 2^31 iterations here. */
	free_ok(blk(0, 0), 32, low, 1, IP(128, 0, 0, 0));
	free_ok(blk(0, 0), 32, spread, 3, IP(193, 0, 0, 0));
}

static void test_first_free_top_of_address_space(void **state)
{
	/* 0/1, 128/2, 192/3, ... 255.255.255.254/32: all but the last IP. */
	struct cidr used[32];
	uint32_t base = 0;

	(void)state;
	for (uint8_t p = 1; p <= 31; p++) {
		used[p - 1] = blk(base, p);
		base |= (uint32_t)1 << (32 - p);
	}
	assert_int_equal(base, 0xfffffffeu);
	used[31] = blk(0xfffffffeu, 32);

	free_ok(blk(0, 0), 32, used, 32, UINT32_MAX);
	free_ok(blk(IP(255, 255, 255, 0), 24), 32, used, 32, UINT32_MAX);
	/* No /31 is free: the only candidate left contains a used address. */
	free_none(blk(0, 0), 31, used, 32);

	/* Filling the last address must not wrap around to 0.0.0.0. */
	used[31] = blk(0xfffffffeu, 31);
	free_none(blk(0, 0), 32, used, 32);
	free_none(blk(IP(255, 255, 255, 0), 24), 32, used, 32);
}

static void test_first_free_last_block_at_top(void **state)
{
	const struct cidr low[] = { { 0, 1 } };
	const struct cidr high[] = { { IP(128, 0, 0, 0), 1 } };
	const struct cidr both[] = { { IP(128, 0, 0, 0), 1 }, { 0, 1 } };

	(void)state;
	free_ok(blk(0, 0), 1, low, 1, IP(128, 0, 0, 0));
	free_ok(blk(0, 0), 1, high, 1, 0);
	free_none(blk(0, 0), 1, both, 2);
	free_ok(blk(UINT32_MAX, 24), 25, low, 1, IP(255, 255, 255, 0));
}

static void test_first_free_prefix_smaller_than_within(void **state)
{
	(void)state;
	free_none(blk(IP(10, 0, 0, 0), 16), 8, NULL, 0);
	free_none(blk(IP(10, 0, 0, 0), 16), 15, NULL, 0);
	free_none(blk(UINT32_MAX, 32), 0, NULL, 0);
	/* Not a valid prefix at all. */
	free_none(blk(IP(10, 0, 0, 0), 16), 33, NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_parse_all_zeros_slash0),
		cmocka_unit_test(test_parse_all_ones_slash32),
		cmocka_unit_test(test_parse_lone_zero_is_not_leading_zero),
		cmocka_unit_test(test_parse_octet_255_and_prefix_32_accepted),
		cmocka_unit_test(test_parse_keeps_host_bits),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_leading_zero_octet),
		cmocka_unit_test(test_parse_leading_zero_prefix),
		cmocka_unit_test(test_parse_octet_256),
		cmocka_unit_test(test_parse_prefix_33),
		cmocka_unit_test(test_parse_huge_digit_runs),
		cmocka_unit_test(test_parse_missing_prefix),
		cmocka_unit_test(test_parse_empty_prefix),
		cmocka_unit_test(test_parse_three_octets),
		cmocka_unit_test(test_parse_five_octets),
		cmocka_unit_test(test_parse_empty_octets),
		cmocka_unit_test(test_parse_bad_char),
		cmocka_unit_test(test_parse_trailing_garbage),
		cmocka_unit_test(test_parse_reports_leftmost_error),
		cmocka_unit_test(test_parse_embedded_nul_is_a_byte),
		cmocka_unit_test(test_parse_prefix_of_longer_buffer),
		cmocka_unit_test(test_parse_unterminated_array),
		cmocka_unit_test(test_error_str),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_first_last),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_has_host_bits),
		cmocka_unit_test(test_aligned),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_contains_equal_blocks),
		cmocka_unit_test(test_slash0_contains_everything),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_compare_by_first_address),
		cmocka_unit_test(test_compare_shorter_prefix_first),
		cmocka_unit_test(test_compare_equal),
		cmocka_unit_test(test_private_10),
		cmocka_unit_test(test_private_172),
		cmocka_unit_test(test_private_192_168),
		cmocka_unit_test(test_private_100_64),
		cmocka_unit_test(test_public_is_not_private),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_format_longest_fits),
		cmocka_unit_test(test_first_free_empty_used),
		cmocka_unit_test(test_first_free_fully_used),
		cmocka_unit_test(test_first_free_skips_used),
		cmocka_unit_test(test_first_free_small_used_blocks),
		cmocka_unit_test(test_first_free_ignores_outside_and_host_bits),
		cmocka_unit_test(test_first_free_slash0_slash32),
		cmocka_unit_test(test_first_free_top_of_address_space),
		cmocka_unit_test(test_first_free_last_block_at_top),
		cmocka_unit_test(test_first_free_prefix_smaller_than_within),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
