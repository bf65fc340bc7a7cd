# Sourced by tests/cli/run.sh: what sgc writes (issue 9). Every write is
# checked; -o onto a device writes in place, onto a symlink writes its
# target, onto an input is refused; the template and the files beside it
# change as one set, under a lock, with stale files of sgc's own removed.

# ---- every write checked: standard output on a full disk is exit 2 ------
for f in sarif json github; do
	expect "full-check-$f" 2 sh -c "\"$sgc\" check --format $f '$dir/bad.sgl' > /dev/full"
done
expect full-fmt-stdin 2 sh -c "\"$sgc\" fmt - < '$good' > /dev/full"
expect full-fmt-check-list 2 sh -c "\"$sgc\" fmt --check '$dir/messy.orig' > /dev/full"
expect full-explain 2 sh -c "\"$sgc\" explain E0305 > /dev/full"
expect full-iam 2 sh -c "\"$sgc\" iam '$nb' > /dev/full"
expect full-iam-json 2 sh -c "\"$sgc\" iam --format json '$nb' > /dev/full"
expect full-help 2 sh -c "\"$sgc\" help > /dev/full"
expect full-help-command 2 sh -c "\"$sgc\" help build > /dev/full"
expect full-dash-help 2 sh -c "\"$sgc\" --help > /dev/full"
expect full-version 2 sh -c "\"$sgc\" version > /dev/full"
expect full-dash-version 2 sh -c "\"$sgc\" --version > /dev/full"
ok full-says-why grep -q 'cannot write to standard output: No space left on device' "$dir/err"
expect full-build-stdout 2 sh -c "\"$sgc\" build '$good' > /dev/full"
expect full-check-text-stderr 2 sh -c "\"$sgc\" check '$dir/bad.sgl' 2> /dev/full"

# ---- -o onto the input itself: refused, nothing written ------------------
o="$dir/self"
mkdir -p "$o"
cp "$nb" "$o/in.sgl"
cp "$nb" "$o/in.orig"
ln -s in.sgl "$o/in-link.sgl"
ln "$o/in.sgl" "$o/in-hard.sgl"
printf 'instance_type: ml.t3.large\n' >"$o/v.yaml"
cp "$o/v.yaml" "$o/v.orig"
expect out-self 2 "$sgc" build "$o/in.sgl" -o "$o/in.sgl"
ok out-self-message grep -q 'it is an input of this build' "$dir/err"
expect out-self-dot 2 sh -c "cd '$o' && \"$sgc\" build in.sgl -o ./in.sgl"
expect out-self-absolute 2 sh -c "cd '$o' && \"$sgc\" build in.sgl -o \"\$PWD/in.sgl\""
expect out-self-symlink 2 "$sgc" build "$o/in.sgl" -o "$o/in-link.sgl"
expect out-self-hardlink 2 "$sgc" build "$o/in.sgl" -o "$o/in-hard.sgl"
expect out-self-stdin 2 sh -c "\"$sgc\" build - -o '$o/in.sgl' < '$o/in.sgl'"
expect out-self-vars 2 "$sgc" build "$o/in.sgl" --vars "$o/v.yaml" -o "$o/v.yaml"
# A file written beside the template would be an input: refused before any rename.
printf '{"instance_type": "ml.t3.large"}\n' >"$o/w.params.json"
cp "$o/w.params.json" "$o/w.orig"
expect out-self-side-file 2 "$sgc" build "$o/in.sgl" --vars "$o/w.params.json" -o "$o/w.json"
ok out-self-side-file-says-so grep -q 'refusing to write `.*w.params.json`: it is an input' "$dir/err"
ok out-self-side-file-intact cmp -s "$o/w.params.json" "$o/w.orig"
ok out-self-side-file-nothing-written test ! -e "$o/w.json" -a ! -e "$o/w.json.sgc-manifest"
ok out-self-source-intact cmp -s "$o/in.sgl" "$o/in.orig"
ok out-self-vars-intact cmp -s "$o/v.yaml" "$o/v.orig"
ok out-self-link-still-link test -L "$o/in-link.sgl"
ok out-self-nothing-beside test ! -e "$o/in.params.json" -a ! -e "$o/lifecycle" -a \
	! -e "$o/in.sgl.sgc-manifest" -a ! -e "$o/v.params.json"

# ---- -o onto a symbolic link: its target is replaced, the link stays -----
o="$dir/link"
mkdir -p "$o/real"
ln -s real/t.json "$o/t.json"
expect out-symlink 0 "$sgc" build "$nb" -o "$o/t.json"
ok out-symlink-stays-link test -L "$o/t.json"
ok out-symlink-target-written cmp -s "$o/real/t.json" "$dir/v4.json"
ok out-symlink-set-beside-target test -f "$o/real/t.params.json" -a -f "$o/real/lifecycle/analyst-on-start.sh"
expect out-symlink-again 0 "$sgc" build "$nb" -o "$o/t.json"
ok out-symlink-again-link test -L "$o/t.json"
ln -s real/missing.json "$o/dangling.json"
expect out-dangling-symlink 0 "$sgc" build "$good" -o "$o/dangling.json"
ok out-dangling-created test -L "$o/dangling.json" -a -f "$o/real/missing.json"

# ---- -o onto a FIFO and a /proc link (like /dev/stdout): written in place -
o="$dir/inplace"
mkdir -p "$o"
mkfifo "$o/pipe"
timeout 20 cat "$o/pipe" >"$o/from-pipe" &
reader=$!
expect out-fifo 0 timeout 20 "$sgc" build "$good" -o "$o/pipe"
wait "$reader"
ok out-fifo-still-fifo test -p "$o/pipe"
ok out-fifo-carried-template cmp -s "$o/from-pipe" "$dir/stdout.json"
ln -s /proc/self/fd/1 "$o/stdout"
expect out-proc-stdout 0 "$sgc" build "$good" -o "$o/stdout"
ok out-proc-stdout-template cmp -s "$dir/out" "$dir/stdout.json"
ok out-proc-stdout-link-kept test -L "$o/stdout"
expect out-proc-stdout-pipe 0 sh -c "\"$sgc\" build '$good' -o '$o/stdout' | cat > '$o/piped'"
ok out-proc-pipe-template cmp -s "$o/piped" "$dir/stdout.json"
ok out-inplace-nothing-beside test -z "$(ls "$o" | grep -v '^pipe$\|^from-pipe$\|^stdout$\|^piped$')"

# ---- devices, made with mknod in the test's own directory ---------------
o="$dir/dev"
mkdir -p "$o"
if [ "$(id -u)" != 0 ]; then
	echo "cli: SKIP device outputs: mknod needs root"
elif ! mknod "$o/null" c 1 3 2>/dev/null || ! mknod "$o/full" c 1 7 2>/dev/null; then
	echo "cli: SKIP device outputs: mknod is not permitted here"
else
	expect out-dev-null 0 "$sgc" build "$nb" -o "$o/null"
	ok out-dev-null-still-device test -c "$o/null"
	expect out-dev-full 2 "$sgc" build "$nb" -o "$o/full"
	ok out-dev-full-says-why grep -q 'No space left on device' "$dir/err"
	ok out-dev-full-still-device test -c "$o/full"
	ok out-dev-nothing-beside test -z "$(ls -A "$o" | grep -v '^null$\|^full$')"
fi

# ---- the output set --------------------------------------------------------
# one.sgl: notebook analyst. two.sgl: analyst and scientist. three.sgl:
# analyst changed, scientist, and zed.
notebook() {
	printf '  notebook %s {\n    instance = ml.t3.medium\n    subnet = vpc.private_b\n' "$1"
	printf '    root_access = false\n    on_start = [ std.lifecycle.idle_stop(%s) ]\n  }\n' "$2"
}
s="$dir/set"
mkdir -p "$s"
cp "$nb" "$s/one.sgl"
{ sed '$d' "$nb"; notebook scientist 1h; echo '}'; } >"$s/two.sgl"
{ sed '$d' "$nb" | sed 's/idle_stop(2h)/idle_stop(3h)/'; notebook scientist 1h; notebook zed 1h; echo '}'; } >"$s/three.sgl"

# Removing a notebook removes its script; a file the user put there stays.
o="$s/stale"
mkdir -p "$o"
expect set-two 0 "$sgc" build "$s/two.sgl" -o "$o/stack.json"
ok set-manifest-lists-scripts grep -qx 'lifecycle/scientist-on-start.sh' "$o/stack.json.sgc-manifest"
printf 'echo mine\n' >"$o/lifecycle/mine.sh"
expect set-one 0 "$sgc" build "$s/one.sgl" -o "$o/stack.json"
ok set-removed-notebook-script-gone test ! -e "$o/lifecycle/scientist-on-start.sh"
ok set-kept-notebook-script test -f "$o/lifecycle/analyst-on-start.sh"
ok set-user-file-survives grep -qx 'echo mine' "$o/lifecycle/mine.sh"
ok set-no-lock-left test ! -e "$o/.sgc-lock"
ok set-no-temporaries test -z "$(find "$o" -name '*.tmp.*' -o -name '*.sgc-old.*')"

# Two outputs in one directory share lifecycle/: one build does not remove
# a script the other's manifest still lists.
o="$s/shared"
mkdir -p "$o"
expect set-shared-json 0 "$sgc" build "$s/two.sgl" -o "$o/stack.json"
expect set-shared-yaml 0 "$sgc" build "$s/two.sgl" -o "$o/stack.yaml"
expect set-shared-json-one 0 "$sgc" build "$s/one.sgl" -o "$o/stack.json"
ok set-shared-still-used test -f "$o/lifecycle/scientist-on-start.sh"
expect set-shared-yaml-one 0 "$sgc" build "$s/one.sgl" -o "$o/stack.yaml"
ok set-shared-then-removed test ! -e "$o/lifecycle/scientist-on-start.sh"

# A manifest never makes sgc remove anything but its own regular files
# below lifecycle/ and remote/, reached without following a link.
o="$s/tampered"
mkdir -p "$o/elsewhere"
expect set-tampered-first 0 "$sgc" build "$s/one.sgl" -o "$o/stack.json"
for v in victim lifecycle-victim remote-victim elsewhere/x.sh; do printf 'keep\n' >"$o/$v"; done
printf 'keep\n' >"$dir/outside-victim"
mkdir -p "$o/lifecycle/dir.sh"
ln -s ../lifecycle-victim "$o/lifecycle/link.sh"
ln -s elsewhere "$o/remote"
{
	printf '../outside-victim\n%s/outside-victim\nvictim\n./victim\nlifecycle/../victim\n' "$dir"
	printf 'lifecycle/./link.sh\nlifecycle//link.sh\nlifecycle/link.sh\nlifecycle/dir.sh\n'
	printf 'remote/x.sh\nremote/../remote-victim\nlifecycle\n/lifecycle/link.sh\n'
} >"$o/stack.json.sgc-manifest"
expect set-tampered-build 0 "$sgc" build "$s/one.sgl" -o "$o/stack.json"
ok set-tampered-victims-kept sh -c "for v in '$o/victim' '$o/lifecycle-victim' '$o/remote-victim' \
	'$o/elsewhere/x.sh' '$dir/outside-victim'; do grep -qx keep \"\$v\" || exit 1; done"
ok set-tampered-link-kept test -L "$o/lifecycle/link.sh"
ok set-tampered-dir-kept test -d "$o/lifecycle/dir.sh"
ok set-tampered-warned grep -q 'not a file sgc writes below lifecycle/ or remote/' "$dir/err"
ok set-tampered-manifest-rewritten sh -c "! grep -q victim '$o/stack.json.sgc-manifest'"

# The lock file's name holds something else (a FIFO): refused, not waited on, kept.
o="$s/lockfifo"
mkdir -p "$o"
mkfifo "$o/.sgc-lock"
expect set-lock-not-a-file 2 timeout 20 "$sgc" build "$s/one.sgl" -o "$o/stack.json"
ok set-lock-not-a-file-kept test -p "$o/.sgc-lock"
ok set-lock-not-a-file-nothing-written test -z "$(ls "$o")"

# A rename that fails midway (a directory where zed's new script goes, after
# analyst's and scientist's were replaced) puts every file back.
o="$s/midway"
mkdir -p "$o"
expect set-midway-first 0 "$sgc" build "$s/two.sgl" -o "$o/stack.json"
cp -R "$o" "$s/midway.before"
mkdir -p "$o/lifecycle/zed-on-start.sh/in-the-way"
expect set-midway-fails 2 "$sgc" build "$s/three.sgl" -o "$o/stack.json"
ok set-midway-says-why grep -q 'zed-on-start.sh.*directory' "$dir/err"
rm -r "$o/lifecycle/zed-on-start.sh"
ok set-midway-previous-intact same_tree "$s/midway.before" "$o"

# A write that fails while staging (the file size limit: EFBIG, SIGXFSZ
# ignored) leaves the previous set and no temporary.
expect set-fsize-fails 2 sh -c "trap '' XFSZ; ulimit -f 4; exec \"$sgc\" build '$s/three.sgl' -o '$o/stack.json'"
ok set-fsize-previous-intact same_tree "$s/midway.before" "$o"

# Concurrent builds to one output serialize: whatever the interleaving, the
# directory ends up exactly as one of the two builds alone leaves it. 80
# notebooks each make the rename phases long enough to overlap now and
# then (without the lock, about one round in ten mixed the two sets), so
# 40 rounds; with the lock no round may mix.
many() {
	sed '$d' "$nb"
	i=0
	while [ $i -lt 80 ]; do notebook "nb$i" "$1"; i=$((i + 1)); done
	echo '}'
}
many 1h >"$s/many-a.sgl"
many 5h >"$s/many-b.sgl"
for v in a b; do
	mkdir -p "$s/ref-$v"
	"$sgc" build "$s/many-$v.sgl" -o "$s/ref-$v/stack.json" 2>/dev/null
done
consistent=0
round=0
while [ $round -lt 40 ]; do
	o="$s/race$round"
	mkdir -p "$o"
	"$sgc" build "$s/many-a.sgl" -o "$o/stack.json" 2>/dev/null &
	pa=$!
	"$sgc" build "$s/many-b.sgl" -o "$o/stack.json" 2>/dev/null &
	pb=$!
	wait $pa
	wait $pb
	if diff -r "$s/ref-a" "$o" >/dev/null || diff -r "$s/ref-b" "$o" >/dev/null; then
		consistent=$((consistent + 1))
	fi
	round=$((round + 1))
done
ok set-concurrent-consistent test "$consistent" -eq 40

# SIGTERM while a build waits for the lock (held here, as a concurrent
# build would) removes its temporaries and leaves the previous set.
o="$s/signal"
mkdir -p "$o"
expect set-signal-first 0 "$sgc" build "$s/two.sgl" -o "$o/stack.json"
cp -R "$o" "$s/signal.before"
mkfifo "$s/release"
(
	exec 9>"$o/.sgc-lock"
	flock 9
	: >"$s/locked"
	read -r _ <"$s/release"
) &
holder=$!
# Wait (a hang guard, not a timing assertion) for the lock, then for the build's temporaries.
tries=0
while [ ! -e "$s/locked" ] && [ $tries -lt 300 ]; do sleep 0.1; tries=$((tries + 1)); done
"$sgc" build "$s/three.sgl" -o "$o/stack.json" 2>"$s/signal.err" &
builder=$!
tries=0
while [ -z "$(ls "$o" | grep '\.tmp\.')" ] && kill -0 $builder 2>/dev/null && [ $tries -lt 300 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
ok set-signal-build-waits-for-lock kill -0 $builder
kill -TERM $builder 2>/dev/null
wait $builder 2>/dev/null
status=$?
printf 'go\n' >"$s/release"
wait $holder
ok set-signal-died-by-sigterm test "$status" -eq 143
ok set-signal-no-temporaries test -z "$(find "$o" -name '*.tmp.*' -o -name '*.sgc-old.*')"
ok set-signal-says-unchanged grep -q 'interrupted; the previous outputs are unchanged' "$s/signal.err"
rm -f "$o/.sgc-lock"
ok set-signal-previous-intact same_tree "$s/signal.before" "$o"

# ---- lifecycle scripts in the template ---------------------------------------
# Text under Fn::Base64 (a diff of the template shows the script); a file() that
# is not UTF-8 text cannot be a template string and stays a base64 blob. Either
# way CloudFormation deploys the bytes of lifecycle/nb-on-start.sh.
b="$dir/b64"
mkdir -p "$b/y"
lc_sgl() {
	printf 'environment e {\n  region = "us-east-1"\n  network vpc {\n    cidr = 10.0.0.0/16\n'
	printf '    isolation = restricted\n    subnet nat_a { cidr = 10.0.0.0/24 zone = a public = true }\n'
	printf '    subnet private_a { cidr = 10.0.1.0/24 zone = a }\n'
	printf '    endpoints = [sagemaker.api, sagemaker.runtime, s3] }\n'
	printf '  notebook nb {\n    instance = ml.t3.medium\n    subnet = vpc.private_a\n'
	printf '    on_start = file("%s")\n  }\n}\n' "$1"
}
# deployed_content TEMPLATE: the base64 CloudFormation passes to the API.
deployed_content() {
	python3 -c 'import json, sys, base64
c = json.load(open(sys.argv[1]))["Resources"]["NbNotebookLifecycleConfig"]["Properties"]["OnStart"][0]["Content"]
print(base64.b64encode(c["Fn::Base64"].encode()).decode() if isinstance(c, dict) else c)' "$1"
}
printf '#!/bin/bash\nf() {\n\techo "caf\303\251"\n}\nf\n' >"$b/text.sh"
printf '#!/bin/bash\necho "\377\376"\n' >"$b/bytes.sh"
lc_sgl text.sh >"$b/text.sgl"
lc_sgl bytes.sh >"$b/bytes.sgl"
expect script-text-build 0 "$sgc" build "$b/text.sgl" -o "$b/text.json"
ok script-text-is-fn-base64 grep -q '"Fn::Base64": "#!/bin/bash\\n' "$b/text.json"
ok script-text-deploys-file test "$(deployed_content "$b/text.json")" = "$(base64 -w0 "$b/lifecycle/nb-on-start.sh")"
expect script-bytes-build 0 "$sgc" build "$b/bytes.sgl" -o "$b/bytes.json"
ok script-bytes-is-blob test "$(python3 -c 'import json, sys
print(type(json.load(open(sys.argv[1]))["Resources"]["NbNotebookLifecycleConfig"]["Properties"]["OnStart"][0]["Content"]).__name__)' "$b/bytes.json")" = str
ok script-bytes-deploys-file test "$(deployed_content "$b/bytes.json")" = "$(base64 -w0 "$b/lifecycle/nb-on-start.sh")"
expect script-text-yaml 0 "$sgc" build "$b/text.sgl" -o "$b/y/text.yaml"
ok script-text-yaml-block grep -q '^ *Fn::Base64: |$' "$b/y/text.yaml"
ok script-text-yaml-tab-line grep -q "^ *	echo \"caf" "$b/y/text.yaml"
ok script-text-yaml-same-content python3 -c 'import json, sys, yaml
y = yaml.safe_load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
sys.exit(y != j)' "$b/y/text.yaml" "$b/text.json"
# The same template with the blob CloudFormation would compute: sgc diff sees no change.
python3 -c 'import json, sys, base64
t = json.load(open(sys.argv[1]))
h = t["Resources"]["NbNotebookLifecycleConfig"]["Properties"]["OnStart"][0]
h["Content"] = base64.b64encode(h["Content"]["Fn::Base64"].encode()).decode()
json.dump(t, open(sys.argv[2], "w"))' "$b/text.json" "$b/blob.json"
expect script-blob-diff 0 "$sgc" diff "$b/blob.json" "$b/y/text.yaml"
ok script-blob-diff-no-change grep -q ': no changes$' "$dir/out"
