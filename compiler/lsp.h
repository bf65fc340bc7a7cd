/*
 * lsp.h - `sgc lsp`: a Language Server Protocol server over stdio.
 *
 * JSON-RPC 2.0 with Content-Length framing (jansson), one process per
 * editor session. Every open document is checked by the same pipeline as
 * `sgc check` (compile.h) when no message is waiting (a burst of changes
 * is checked once), and its diagnostics published with codes, related
 * locations, help and the help's fixes as quick fixes. docs/lsp.md lists
 * the features, the position encodings, the `sgc-stdlib:` virtual
 * documents and the limits.
 */
#ifndef SGC_LSP_H
#define SGC_LSP_H

/*
 * Serve on file descriptors `in` and `out` until `exit` (or end of input).
 * Returns the process's exit status: 0 when `shutdown` came before, else 1.
 * `log` (may be NULL) receives one line per protocol problem.
 */
int lsp_run(int in, int out);

#endif
