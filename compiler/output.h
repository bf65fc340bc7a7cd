/*
 * output.h - writing what `sgc build -o OUT` and `sgc fmt` produce.
 *
 * `build -o OUT` writes a set: the template OUT, OUT's .params.json, the
 * lifecycle/ and remote/ files beside it, and OUT's .sgc-manifest (the
 * lifecycle/ and remote/ files of this build, one path per line). The set
 * changes as a whole:
 *
 *   - every file is first written to a temporary beside its place
 *     (`NAME.tmp.XXXXXX`); any failure removes them and nothing else changed;
 *   - then, holding a lock on the directory (`.sgc-lock`, flock; builds to
 *     one directory wait for each other), each temporary is renamed over its
 *     file, the template last; the file each one replaces is kept as a hard
 *     link (`NAME.sgc-old.XXXXXX`) until the end, so a failed rename puts
 *     every file already renamed back as it was;
 *   - only then are the files the previous manifest of OUT lists, and this
 *     build does not write, removed, and the kept old files deleted. A
 *     manifest entry is only ever acted on when it is a relative path below
 *     lifecycle/ or remote/ without `.` or `..`, naming a regular file
 *     reached without following a symbolic link; an entry another manifest
 *     in the directory still lists is kept (stack.json and stack.yaml built
 *     side by side share their scripts);
 *   - SIGINT, SIGTERM and SIGHUP while temporaries exist remove them (the
 *     handler only sets a flag; the lock wait and every step check it) and
 *     then end the process by the same signal.
 *
 * The template's directory and its parents are created when missing, and
 * removed again (when still empty) if the build fails.
 *
 * A crash of the machine between two renames is not covered: rename is
 * atomic per file, not across files.
 *
 * OUT is resolved first: a symbolic link is followed to the file it names,
 * which is replaced in its own directory (the link stays a link); a
 * character or block device or a FIFO (`/dev/null`, `/dev/stdout`) is
 * written in place, without the files beside it.
 */
#ifndef SGC_OUTPUT_H
#define SGC_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"

struct out_target {
	char *path;      /* the file to replace: OUT, or where its symbolic link leads */
	char *prefix;    /* its directory with a trailing slash, or "" for the working directory */
	const char *base; /* the last component of path */
	bool in_place;   /* a device, FIFO or /proc link: opened and written, nothing beside it */
	struct file_id id; /* what is there now, if anything */
};

/* Resolve `out` (see above). Prints why and returns false when it cannot be written. */
bool out_target_resolve(const char *out, struct out_target *t);
void out_target_free(struct out_target *t);

/* False, with a message, when the target is one of `inputs` (`-o` onto FILE itself). */
bool out_target_not_input(const struct out_target *t, const char *out,
			  const struct file_id *inputs, size_t ninputs);

/* Open the device or FIFO and write `data`; every write checked. */
bool out_write_in_place(const struct out_target *t, const char *data, size_t len);

/* A file of the set, its path relative to the template's directory. */
struct out_item {
	const char *path;
	const char *data;
	size_t len;
	bool executable;
};

/*
 * Write the template `tmpl` at t->path with `items` beside it and the
 * manifest, as one change (see above). No file written may be one of
 * `inputs`. Returns false after printing why; then every previous file is
 * as it was.
 */
bool out_write_set(const struct out_target *t, const struct out_item *items, size_t nitems,
		   const char *tmpl, size_t tmpl_len, const struct file_id *inputs,
		   size_t ninputs);

/*
 * `sgc fmt`: replace the file `path` (or the one its symbolic link names)
 * with `data` through a temporary, keeping its permissions.
 */
bool out_replace_file(const char *path, const char *data, size_t len);

/*
 * One file alone (`sgc graph -o OUT`): through a temporary renamed over
 * t->path (mode 0644), or in place onto a device or FIFO. False after
 * printing why; then nothing changed.
 */
bool out_write_file(const struct out_target *t, const char *data, size_t len);

/*
 * May the manifest entry `entry` be acted on? Relative, below lifecycle/ or
 * remote/, every component non-empty and neither `.` nor `..`, no control
 * characters. (Whether it names a regular file is checked on the disk.)
 */
bool out_manifest_entry_ok(const char *entry);

/* The manifest's name for a template named `base`: `stack.json.sgc-manifest`. */
#define OUT_MANIFEST_SUFFIX ".sgc-manifest"
#define OUT_LOCK_NAME ".sgc-lock"

#endif
