/*
 * deploy.c - `sgc deploy`: run `aws cloudformation deploy` with what the
 * deploy manifest says, and in preview mode read back the change set.
 */
#define _GNU_SOURCE
#include "deploy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "deploy_manifest.h"
#include "input.h"
#include "proc.h"

/* An argv under construction: malloc'd strings, NULL-terminated. */
struct argv {
	char **v;
	size_t n, cap;
	bool oom;
};

static void arg(struct argv *a, const char *s)
{
	if (a->oom)
		return;
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		char **v = realloc(a->v, cap * sizeof *v);
		if (!v) {
			a->oom = true;
			return;
		}
		a->v = v;
		a->cap = cap;
	}
	char *copy = strdup(s);
	if (!copy) {
		a->oom = true;
		return;
	}
	a->v[a->n++] = copy;
	a->v[a->n] = NULL;
}

static void argv_free(struct argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	*a = (struct argv){ 0 };
}

/* The CLI, its global options, and `cloudformation`. */
static void aws_prefix(struct argv *a, const struct deploy_request *r)
{
	const char *aws = getenv("SGC_AWS");
	arg(a, aws && *aws ? aws : "aws");
	if (r->profile) {
		arg(a, "--profile");
		arg(a, r->profile);
	}
	arg(a, "cloudformation");
}

/* The command as one line for the terminal: each word quoted when it needs it. */
static void print_command(FILE *f, const struct argv *a)
{
	fputs("+", f);
	for (size_t i = 0; i < a->n; i++) {
		const char *w = a->v[i];
		bool plain = *w != '\0';
		for (const char *p = w; *p; p++)
			plain &= strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,@+",
					*p) != NULL;
		if (plain) {
			fprintf(f, " %s", w);
			continue;
		}
		fputs(" '", f);
		for (const char *p = w; *p; p++) {
			if (*p == '\'')
				fputs("'\\''", f);
			else if ((unsigned char)*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\x%02x", (unsigned char)*p);
			else
				fputc(*p, f);
		}
		fputc('\'', f);
	}
	fputc('\n', f);
	fflush(f);
}

/*
 * Run `a` and wait; with `capture`, its standard output is kept in
 * *capture (and, with `tee`, shown as it comes). The exit status, or -1
 * after saying why it could not run.
 */
static int run(const struct argv *a, struct input *capture, bool tee)
{
	/* CLI v2: never a pager between us and its output. */
	static const char *const env[] = { "AWS_PAGER=", NULL };
	struct proc_io io = { .capture = capture != NULL, .tee = tee, .env = env };
	int rc = proc_run(a->v, &io);
	if (rc == 127)
		fprintf(stderr, "sgc: (the AWS CLI is $SGC_AWS, else `aws` on PATH)\n");
	if (capture)
		*capture = (struct input){ .text = io.out, .len = io.out_len };
	return rc;
}

/* The change set's ARN in the CLI's output (`--change-set-name arn:...:changeSet/...`), or NULL. */
static char *change_set_arn(const char *out)
{
	for (const char *p = strstr(out, "arn:"); p; p = strstr(p + 1, "arn:")) {
		size_t n = strcspn(p, " \t\r\n\"'");
		const char *cs = memmem(p, n, ":changeSet/", 11);
		const char *cf = memmem(p, n, ":cloudformation:", 16);
		if (cs && cf && cf < cs)
			return strndup(p, n);
	}
	return NULL;
}

/* A value from the CLI's JSON, printable: control characters as `?`, at most 80 bytes, padded to `width`. */
static void put_cell(const char *s, int width)
{
	int n = 0;
	for (; s && *s && n < 80; s++, n++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, stdout);
	for (; n < width; n++)
		fputc(' ', stdout);
	if (width && n >= width)
		fputc(' ', stdout);
}

static void put_row(const char *action, const char *id, const char *type, const char *replacement)
{
	put_cell(action, 9);
	put_cell(id, 40);
	put_cell(type, 44);
	put_cell(replacement, 0);
	fputc('\n', stdout);
}

/* The review table of `describe-change-set` output. Returns false if it is not one. */
static bool print_changes(const char *json, size_t len)
{
	json_t *root = json_loadb(json, len, 0, NULL);
	json_t *changes = json_object_get(root, "Changes");
	if (!json_is_array(changes)) {
		json_decref(root);
		return false;
	}
	printf("\nchange set %s: %s\n", json_string_value(json_object_get(root, "ChangeSetName"))
					   ? json_string_value(json_object_get(root, "ChangeSetName")) : "?",
	       json_string_value(json_object_get(root, "Status")) ? json_string_value(json_object_get(root, "Status")) : "?");
	put_row("ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT");
	size_t i;
	json_t *c;
	json_array_foreach(changes, i, c) {
		json_t *rc = json_object_get(c, "ResourceChange");
		const char *action = json_string_value(json_object_get(rc, "Action"));
		const char *repl = json_string_value(json_object_get(rc, "Replacement"));
		put_row(action ? action : "?", json_string_value(json_object_get(rc, "LogicalResourceId")),
			json_string_value(json_object_get(rc, "ResourceType")),
			action && strcmp(action, "Modify") == 0 && repl ? repl : "-");
	}
	printf("%zu change(s)\n", json_array_size(changes));
	json_decref(root);
	return true;
}

/* `DIR/` of `path` (with its slash), or "" for the working directory; malloc'd. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return strndup(path, slash ? (size_t)(slash - path) + 1 : 0);
}

static int preview(const struct deploy_request *r, const struct deploy_manifest *m,
		   const struct argv *deploy)
{
	struct input out = { 0 };
	int rc = run(deploy, &out, true);
	if (rc != 0) {
		free(out.text);
		if (rc > 0)
			fprintf(stderr, "sgc: `aws cloudformation deploy --no-execute-changeset` failed (exit %d)\n", rc);
		return EXIT_AWS_FAILED;
	}
	char *arn = change_set_arn(out.text);
	bool empty = strstr(out.text, "No changes to deploy") != NULL;
	free(out.text);
	if (!arn) {
		if (empty) {
			printf("\nno changes: stack %s is up to date\n", m->stack_name);
			return EXIT_OK;
		}
		fprintf(stderr, "sgc: the AWS CLI's output names no change set (arn:...:changeSet/...)\n");
		return EXIT_AWS_FAILED;
	}
	struct argv a = { 0 };
	aws_prefix(&a, r);
	arg(&a, "describe-change-set");
	arg(&a, "--region");
	arg(&a, m->region);
	arg(&a, "--change-set-name");
	arg(&a, arn);
	arg(&a, "--output");
	arg(&a, "json");
	int status = EXIT_OK;
	if (a.oom) {
		fprintf(stderr, "sgc: out of memory\n");
		status = EXIT_USAGE;
	} else {
		print_command(stderr, &a);
		rc = run(&a, &out, false);
		if (rc != 0) {
			if (rc > 0)
				fprintf(stderr, "sgc: `aws cloudformation describe-change-set` failed (exit %d)\n", rc);
			status = EXIT_AWS_FAILED;
		} else if (!print_changes(out.text, out.len)) {
			fprintf(stderr, "sgc: `describe-change-set` printed no Changes list\n");
			status = EXIT_AWS_FAILED;
		} else {
			printf("not executed: `aws cloudformation execute-change-set --region %s "
			       "--change-set-name %s` applies it;\n"
			       "offline, `sgc diff OLD-TEMPLATE NEW` shows the same change property by "
			       "property, with what replacement loses.\n", m->region, arn);
		}
		free(out.text);
	}
	argv_free(&a);
	free(arn);
	return status;
}

int deploy_run(const struct deploy_request *r)
{
	struct input in;
	if (!input_read(r->manifest_path, &in))
		return EXIT_USAGE;
	struct deploy_manifest m;
	char err[256];
	bool ok = deploy_manifest_read(in.text, in.len, &m, err, sizeof err);
	input_free(&in);
	if (!ok) {
		fprintf(stderr, "%s: error: not a deploy manifest sgc writes: %s\n", r->manifest_path, err);
		json_decref(m.root);
		return EXIT_DIAGNOSTICS;
	}
	char *dir = dir_of(r->manifest_path);
	char *tmpl = NULL;
	if (dir && asprintf(&tmpl, "%s%s", dir, m.template) < 0)
		tmpl = NULL;
	free(dir);
	int status = EXIT_OK;
	struct stat st;
	struct argv a = { 0 };
	if (!tmpl) {
		fprintf(stderr, "sgc: out of memory\n");
		status = EXIT_USAGE;
	} else if (r->template_path && !file_id_same(file_id_of(r->template_path), file_id_of(tmpl))) {
		fprintf(stderr, "sgc: %s is the manifest of %s, not of %s: build %s again\n",
			r->manifest_path, m.template, r->template_path, r->template_path);
		status = EXIT_USAGE;
	} else if (stat(tmpl, &st) != 0) {
		fprintf(stderr, "sgc: %s (named by %s): %s\n", tmpl, r->manifest_path, strerror(errno));
		status = EXIT_USAGE;
	} else if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "sgc: %s (named by %s) is not a regular file\n", tmpl, r->manifest_path);
		status = EXIT_USAGE;
	} else if ((size_t)st.st_size != m.template_bytes) {
		fprintf(stderr, "sgc: %s has %lld bytes, its manifest %s says %zu: it changed after the "
				"build; build again\n", tmpl, (long long)st.st_size, r->manifest_path,
			m.template_bytes);
		status = EXIT_USAGE;
	} else if (r->stage && strcmp(r->stage, m.stage ? m.stage : "") != 0) {
		fprintf(stderr, "sgc: --stage=%s, but %s was built for %s%s\n", r->stage, r->manifest_path,
			m.stage ? "stage " : "no stage", m.stage ? m.stage : "");
		status = EXIT_USAGE;
	} else if (m.template_bytes > DEPLOY_TEMPLATE_BODY_MAX && !r->s3_bucket) {
		fprintf(stderr, "sgc: %s has %zu bytes, over CloudFormation's %d-byte limit for a template "
				"sent inline (TemplateBody): give --s3-bucket BUCKET (a bucket in %s you can "
				"write to) and the AWS CLI uploads it there first\n",
			tmpl, m.template_bytes, DEPLOY_TEMPLATE_BODY_MAX, m.region);
		status = EXIT_USAGE;
	}
	if (status == EXIT_OK) {
		aws_prefix(&a, r);
		arg(&a, "deploy");
		arg(&a, "--region");
		arg(&a, m.region);
		arg(&a, "--stack-name");
		arg(&a, m.stack_name);
		arg(&a, "--template-file");
		arg(&a, tmpl);
		if (m.capabilities) {
			arg(&a, "--capabilities");
			for (unsigned bit = 1; bit <= DEPLOY_CAP_AUTO_EXPAND; bit <<= 1)
				if (m.capabilities & bit)
					arg(&a, deploy_capability_name(bit));
		}
		if (json_object_size(m.parameters)) {
			arg(&a, "--parameter-overrides");
			const char *key;
			json_t *v;
			json_object_foreach(m.parameters, key, v) {
				char *kv = NULL;
				if (asprintf(&kv, "%s=%s", key, json_string_value(v)) < 0) {
					a.oom = true;
					break;
				}
				arg(&a, kv);
				free(kv);
			}
		}
		arg(&a, "--no-fail-on-empty-changeset");
		if (r->s3_bucket) {
			arg(&a, "--s3-bucket");
			arg(&a, r->s3_bucket);
			if (r->s3_prefix) {
				arg(&a, "--s3-prefix");
				arg(&a, r->s3_prefix);
			}
		}
		if (r->preview)
			arg(&a, "--no-execute-changeset");
		if (a.oom) {
			fprintf(stderr, "sgc: out of memory\n");
			status = EXIT_USAGE;
		}
	}
	if (status == EXIT_OK) {
		print_command(stderr, &a);
		if (r->preview) {
			status = preview(r, &m, &a);
		} else {
			int rc = run(&a, NULL, false);
			if (rc != 0) {
				if (rc > 0)
					fprintf(stderr, "sgc: `aws cloudformation deploy` failed (exit %d); "
							"stack %s in %s\n", rc, m.stack_name, m.region);
				status = EXIT_AWS_FAILED;
			}
		}
	}
	argv_free(&a);
	free(tmpl);
	json_decref(m.root);
	return status;
}
