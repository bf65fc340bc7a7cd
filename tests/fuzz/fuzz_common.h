/*
 * fuzz_common.h - what every libFuzzer target of sgc shares.
 *
 * The sandbox. Compiles run on a source "living" in a temporary directory
 * made once at start-up (mkdtemp; removed at exit, or by the next target
 * to start when a crash or timeout ended the process first):
 *
 *   $TMPDIR/sgc-fuzz-PID-XXXXXX/      the sandbox: nothing outside it is read
 *     root/                           struct compile.root, the .sgl's directory
 *       fuzz.sgl                      (the path compiles are given; not a file)
 *       setup.sh, empty.sh, crlf.sh,  scripts file("...") may name
 *       binary.sh, scripts/install.sh
 *       dir/                          a directory, not a file
 *       fifo                          a FIFO: reading it would hang
 *       escape.sh -> ../outside/secret.sh
 *     outside/secret.sh               holds FUZZ_SECRET: never in any output
 *
 * Every target is linked with -Wl,--wrap=fopen,--wrap=open,--wrap=openat
 * (see the Makefile), so each file the compiler library opens goes through
 * the guard below while a compile or a format runs. The guard refuses
 * (EACCES) any read outside the sandbox, whatever path the fuzzer wrote
 * (`/proc/self/environ`, `../../etc/passwd`, a symlink), and any read of
 * something that is not a regular file (a FIFO would hang). So the
 * harness cannot disclose or hang on the machine's files even while the
 * compiler itself does not confine file() (issue 9). Writes are left
 * alone: the compiler library writes nothing, and libFuzzer writes its
 * crash artifacts from signal handlers that may fire mid-compile.
 *
 * Properties. A failed property prints `fuzz property NAME failed: ...`
 * and aborts, so libFuzzer keeps the input as a crash. FUZZ_SKIP=a,b
 * turns properties off by name: only for a branch that waits for the fix
 * of a defect a property finds (docs in tests/fuzz/README.md); CI never
 * sets it.
 */
#ifndef SGC_FUZZ_COMMON_H
#define SGC_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "compile.h"

/* The secret outside the root: no output may ever contain it. */
#define FUZZ_SECRET "SGC_FUZZ_SECRET_OUTSIDE_ROOT"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Makes the sandbox and reads FUZZ_SKIP; each target's LLVMFuzzerInitialize calls it. */
void fuzz_init(void);

const char *fuzz_root(void);        /* .../root, for struct compile.root */
const char *fuzz_source_path(void); /* .../root/fuzz.sgl */

/* False when FUZZ_SKIP names the property. */
bool fuzz_wants(const char *property);

/*
 * Report a broken property and abort (libFuzzer saves the input); returns
 * only when FUZZ_SKIP names the property, so callers carry on safely.
 */
void fuzz_fail(const char *property, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like compile_text(), inside the sandbox, with c->root set. */
bool fuzz_compile_text(struct compile *c, const char *path, const char *text, size_t len);

/* The guard is on between these (fuzz_compile_text uses them). */
void fuzz_guard_on(void);
void fuzz_guard_off(void);

/* What a render call printed, via open_memstream; malloc'd, NUL-terminated. */
struct fuzz_buf {
	char *text;
	size_t len;
	FILE *f;
};
FILE *fuzz_buf_open(struct fuzz_buf *b);
void fuzz_buf_close(struct fuzz_buf *b); /* then text/len are valid */
void fuzz_buf_free(struct fuzz_buf *b);

/* The text parsed as JSON, or fuzz_fail(property) and NULL. The caller json_decref()s it. */
json_t *fuzz_expect_json(const char *property, const char *what, const char *text, size_t len);

/*
 * YAML text read back with libyaml and compared with a JSON value: the same
 * keys in the same order, the same sequences, equal scalars of the same
 * type (a plain scalar is an integer only as a decimal, a boolean only as
 * true/false, and a string only when no YAML 1.1/1.2 reader takes it for
 * another type). Returns NULL when equal, else what differs (static text).
 */
const char *fuzz_yaml_differs(const char *yaml, size_t ylen, json_t *json);

/* The first byte of text[0..len) that a text rendering must not hold raw, or -1. */
long fuzz_raw_control(const char *text, size_t len, bool color);

/* A line of text[0..len) that starts (after blanks) with `::`, or -1: a GitHub workflow command. */
long fuzz_workflow_command(const char *text, size_t len);

#endif
