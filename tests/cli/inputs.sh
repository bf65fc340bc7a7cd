# Sourced by tests/cli/run.sh: what sgc reads (issue 9). Named inputs are
# regular files of at most 64 MiB; directory walks follow no symbolic link
# and check each file once, in a fixed order.

# Exactly 64 MiB is accepted; one byte more is refused with its real size.
# The padding is comment lines, so the file is the good example, checked.
mib64=67108864
cp "$good" "$dir/64mib.sgl"
pad=$((mib64 - $(wc -c <"$good")))
awk -v n="$pad" 'BEGIN { line = "#"; while (length(line) < 1023) line = line "x";
	for (; n >= 1024; n -= 1024) print line; s = "#"; while (length(s) < n - 1) s = s "x"; if (n) print s }' \
	>>"$dir/64mib.sgl"
ok input-64mib-size test "$(wc -c <"$dir/64mib.sgl")" -eq "$mib64"
expect input-64mib-accepted 0 "$sgc" check --color=never "$dir/64mib.sgl"
ok input-64mib-no-size-error sh -c "! grep -q 'larger\|at most' '$dir/err'"
cp "$dir/64mib.sgl" "$dir/64mib1.sgl"
printf '\n' >>"$dir/64mib1.sgl"
expect input-64mib-plus-1 2 "$sgc" check "$dir/64mib1.sgl"
ok input-64mib-plus-1-size grep -q '67108865 bytes' "$dir/err"
expect input-64mib-plus-1-stdin-file 2 sh -c "\"$sgc\" check - < '$dir/64mib1.sgl'"
ok input-stdin-file-size grep -q 'standard input is 67108865 bytes' "$dir/err"
expect input-64mib-plus-1-pipe 2 sh -c "cat '$dir/64mib1.sgl' | \"$sgc\" check -"
ok input-pipe-too-large grep -q 'standard input is larger than 64 MiB' "$dir/err"
expect input-64mib-stdin-pipe 0 sh -c "cat '$dir/64mib.sgl' | \"$sgc\" check -"
rm -f "$dir/64mib.sgl" "$dir/64mib1.sgl"

# A FIFO named as FILE (or --vars) is refused at once; it used to wait for
# a writer forever. `timeout` only guards the test run against a hang.
mkfifo "$dir/fifo.sgl"
expect input-fifo-refused 2 timeout 20 "$sgc" check "$dir/fifo.sgl"
ok input-fifo-says-fifo grep -q 'fifo.sgl` is a FIFO; sgc reads regular files' "$dir/err"
expect input-fifo-build 2 timeout 20 "$sgc" build "$dir/fifo.sgl" -o "$dir/ff.json"
ok input-fifo-nothing-written test ! -e "$dir/ff.json"
expect input-fifo-vars 2 timeout 20 "$sgc" build "$nb" --vars "$dir/fifo.sgl"
expect input-directory-build 2 "$sgc" build examples
ok input-directory-says-so grep -q '`examples` is a directory' "$dir/err"
rm -f "$dir/fifo.sgl"
# Standard input may be a pipe, for the source or for --vars (not both).
expect input-vars-stdin 0 sh -c "printf 'instance_type: ml.t3.large\n' | \"$sgc\" build '$nb' --vars - -o '$dir/vs.json'"
ok input-vars-stdin-value grep -q 'ml.t3.large"' "$dir/vs.params.json"
expect input-vars-and-source-stdin 2 sh -c "\"$sgc\" build - --vars - < '$nb'"

# Directory walks. w/ holds two links to `.` (the old walk never ended),
# a link up to w itself, a hard link, a link to a bad file outside w, and
# a hidden directory.
w="$dir/walk"
mkdir -p "$w/sub" "$w/.hidden"
cp "$good" "$w/a.sgl"
cp "$dir/bad.sgl" "$w/sub/b.sgl"
ln "$w/sub/b.sgl" "$w/sub/c-hardlink.sgl"
printf 'environment e {\n' >"$w/.hidden/broken.sgl"
printf 'environment e {\n' >"$dir/outside.sgl"
ln -s . "$w/loop1"
ln -s . "$w/loop2"
ln -s "$w" "$w/sub/up"
ln -s ../outside.sgl "$w/sneaky.sgl"
expect walk-symlink-loops-end 1 timeout 30 "$sgc" check --color=never --format json "$w"
ok walk-bad-file-once test "$(grep -o '"code":"E0302"' "$dir/out" | wc -l)" -eq 1
ok walk-no-link-followed sh -c "! grep -q 'outside.sgl\|sneaky\|loop\|/up/' '$dir/out'"
ok walk-hidden-skipped sh -c "! grep -q 'broken' '$dir/out'"
cp "$dir/out" "$dir/walk1.json"
expect walk-again 1 timeout 30 "$sgc" check --color=never --format json "$w"
ok walk-deterministic cmp -s "$dir/out" "$dir/walk1.json"
ok walk-fmt-check-ends sh -c "timeout 30 \"$sgc\" fmt --check '$w/sub/up' >/dev/null 2>&1; [ \$? -ne 124 ]"
# A file named on the command line and also found below a DIR: checked once.
expect walk-named-twice 1 "$sgc" check --color=never --format json "$w/sub/b.sgl" "$w" "$w/sub/c-hardlink.sgl"
ok walk-named-twice-once test "$(grep -o '"code":"E0302"' "$dir/out" | wc -l)" -eq 1
ok walk-keeps-first-name grep -q '"file":"[^"]*walk/sub/b.sgl"' "$dir/out"
# A symbolic link named on the command line is followed.
expect walk-named-symlink-checked 1 "$sgc" check --color=never "$w/sneaky.sgl"
ok walk-named-symlink-diagnostic grep -q 'sneaky.sgl:1:15: error\[E0105\]' "$dir/err"
# Order: the files of a directory in byte order, subdirectories in place.
mkdir -p "$dir/order/a" "$dir/order/b"
for f in order/b.sgl order/a/z.sgl order/a.sgl order/b/a.sgl; do cp "$dir/bad.sgl" "$dir/$f"; done
expect walk-order 1 "$sgc" check --color=never "$dir/order"
ok walk-order-sorted test "$(grep -o 'order/[a-z/]*\.sgl:3:22' "$dir/err" | tr '\n' ' ')" = \
	"order/a/z.sgl:3:22 order/a.sgl:3:22 order/b/a.sgl:3:22 order/b.sgl:3:22 "

# fmt follows a symbolic link named as FILE (the link stays) and keeps the mode.
printf 'environment  e   {\n region="us-east-1"\n network n { cidr = 10.0.0.0/16\n isolation=isolated\n subnet a {cidr=10.0.1.0/24 zone=a}}}\n' >"$dir/ugly.sgl"
chmod 640 "$dir/ugly.sgl"
ln -s ugly.sgl "$dir/ugly-link.sgl"
expect fmt-through-link 0 "$sgc" fmt "$dir/ugly-link.sgl"
ok fmt-link-stays-link test -L "$dir/ugly-link.sgl"
ok fmt-target-formatted sh -c "\"$sgc\" fmt --check '$dir/ugly.sgl' >/dev/null"
ok fmt-keeps-mode test "$(stat -c %a "$dir/ugly.sgl")" = 640

# check over many clean files holds one compile at a time (issue 10): 1,000
# copies of a notebook example check under a 20 MiB address-space cap, which
# the 170 MB of keeping every compile to the end would exceed. Sanitized
# builds reserve terabytes of address space, so they skip the cap.
mkdir -p "$dir/many"
i=0
while [ $i -lt 1000 ]; do
	cp examples/private-notebook-codeartifact.sgl "$dir/many/n$i.sgl"
	i=$((i + 1))
done
if nm "$sgc" 2>/dev/null | grep -q '__asan_init\|__tsan_init\|__msan_init'; then
	echo "cli: check-many-files-bounded not run: $sgc is sanitized (no address-space cap)"
else
	for f in text json sarif github; do
		expect "check-many-files-bounded-$f" 0 sh -c "ulimit -v 20480 && \"$sgc\" check --color=never --format $f '$dir/many'"
		# only notes (N0640: the template's scanner suppressions), no error or warning
		[ $f = json ] && ok check-many-files-json-notes-only sh -c "grep -q '\"severity\":\"note\"' '$dir/out' && ! grep -Eq '\"severity\":\"(error|warning)\"' '$dir/out'"
	done
fi
rm -rf "$dir/many"
