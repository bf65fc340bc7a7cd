/*
 * steps.h - a lifecycle script from its steps: `on_start = [...]` holds
 * calls of `std.lifecycle.<step>(...)` or `file("script.sh")`; each is
 * checked (its host, its arguments, the repository it installs from, the
 * file it reads below the root) and composed into one script
 * (lifecycle.h), which must fit CloudFormation's 16384 base64 characters.
 */
#ifndef SGC_STEPS_H
#define SGC_STEPS_H

#include "attrs.h"

/*
 * The script of `attr` (NULL: none) for `host` (LC_NOTEBOOK,
 * LC_STUDIO | LC_CODE_EDITOR, LC_STUDIO), named `host_name` in messages,
 * written as lifecycle/<file_name>, its header saying `what`.
 */
struct m_script *steps_script(struct checker *ck, const struct scope *sc,
			      const struct ast_item *attr, unsigned host,
			      const char *host_name, const char *file_name,
			      const char *what);

#endif
