# Sourced by tests/cli/run.sh: `sgc graph` (issue 14). DOT to standard
# output or through a temporary onto -o; SVG and PNG through `dot` found on
# PATH and run without a shell (a fake `dot` here records its arguments and
# input, so this runs without Graphviz); without `dot`, exit 2 naming the
# package; usage errors exit 2, inputs with errors exit 1, and neither
# writes anything.
g="$dir/graph"
mkdir -p "$g/empty" "$g/fake" "$g/failing"
nbsrc=examples/private-notebook-codeartifact.sgl
printf '#!/bin/sh\nprintf "args: %%s\\n" "$*"\nexec /bin/cat\n' >"$g/fake/dot"
printf '#!/bin/sh\necho "dot: syntax error" >&2\nexit 3\n' >"$g/failing/dot"
chmod +x "$g/fake/dot" "$g/failing/dot"

expect graph-stdout 0 "$sgc" graph --color=never "$good"
ok graph-stdout-is-dot sh -c "head -n 1 '$dir/out' | grep -qx 'digraph \"mlnetwork\" {'"
cp "$dir/out" "$g/stdout.dot"
expect graph-o 0 "$sgc" graph "$good" -o "$g/out.dot"
ok graph-o-same-as-stdout cmp -s "$g/out.dot" "$g/stdout.dot"
ok graph-o-no-temporary-left sh -c "! ls '$g' | grep -q tmp"
expect graph-format-dot 0 "$sgc" graph --format dot "$good" -o "$g/fmt.dot"
ok graph-format-dot-same cmp -s "$g/fmt.dot" "$g/stdout.dot"
# -D reaches the picture (a notebook's instance from a parameter); the twin: the default.
expect graph-define 0 "$sgc" graph "$nbsrc" -D instance_type=ml.t3.large
ok graph-define-shown grep -q 'ml.t3.large (param.instance_type)' "$dir/out"
expect graph-define-default 0 "$sgc" graph "$nbsrc"
ok graph-define-default-shown sh -c "grep -q 'ml.t3.medium (param.instance_type)' '$dir/out' && ! grep -q ml.t3.large '$dir/out'"

# ---- usage errors: exit 2, nothing written ----------------------------------
expect graph-bad-format 2 "$sgc" graph --format jpeg "$good" -o "$g/bad-format.dot"
ok graph-bad-format-says grep -q 'takes dot, svg or png, not `jpeg`' "$dir/err"
ok graph-bad-format-nothing test ! -e "$g/bad-format.dot"
expect graph-no-file 2 "$sgc" graph
expect graph-two-files 2 "$sgc" graph "$good" "$good"
expect graph-not-check 2 "$sgc" graph --check "$good"
ok graph-not-check-says grep -q '`graph` does not take `--check`' "$dir/err"
cp "$good" "$g/in.sgl"
expect graph-o-input 2 "$sgc" graph "$g/in.sgl" -o "$g/in.sgl"
ok graph-o-input-intact cmp -s "$g/in.sgl" "$good"
expect graph-help 0 "$sgc" help graph
ok graph-help-formats grep -q -- '--format svg' "$dir/out"
expect graph-full 2 sh -c "\"$sgc\" graph '$good' > /dev/full"

# ---- input with errors: its diagnostics, exit 1, the old output kept ---------
printf 'old\n' >"$g/keep.dot"
expect graph-bad-input 1 "$sgc" graph --color=never "$dir/bad.sgl" -o "$g/keep.dot"
ok graph-bad-input-diagnostic grep -q 'error\[E0302\]' "$dir/err"
ok graph-bad-input-kept sh -c "[ \"\$(cat '$g/keep.dot')\" = old ]"

# ---- SVG and PNG: `dot` from PATH, or exit 2 naming the package --------------
expect graph-svg-no-dot 2 env PATH="$g/empty" "$sgc" graph --format svg "$good" -o "$g/none.svg"
ok graph-svg-no-dot-says grep -q 'apt-get install graphviz' "$dir/err"
ok graph-svg-no-dot-nothing test ! -e "$g/none.svg"
expect graph-png-ext-no-dot 2 env PATH="$g/empty" "$sgc" graph "$good" -o "$g/none.png"
# The twin: DOT needs no `dot`.
expect graph-dot-no-dot 0 env PATH="$g/empty" "$sgc" graph "$good"
expect graph-svg-fake-dot 0 env PATH="$g/fake" "$sgc" graph --format svg "$good" -o "$g/fake.svg"
ok graph-svg-argv sh -c "head -n 1 '$g/fake.svg' | grep -qx 'args: -Tsvg'"
ok graph-svg-input-is-the-dot sh -c "tail -n +2 '$g/fake.svg' | cmp -s - '$g/stdout.dot'"
expect graph-png-by-extension 0 env PATH="$g/fake" "$sgc" graph "$good" -o "$g/fake.png"
ok graph-png-argv sh -c "head -n 1 '$g/fake.png' | grep -qx 'args: -Tpng'"
expect graph-svg-stdout 0 env PATH="$g/fake" "$sgc" graph --format svg "$good"
ok graph-svg-stdout-argv sh -c "head -n 1 '$dir/out' | grep -qx 'args: -Tsvg'"
# A hostile file name reaches dot as nothing: it reads standard input only.
cp "$good" "$g/\$(touch pwned);x.sgl"
expect graph-hostile-name 0 env PATH="$g/fake" "$sgc" graph --format svg "$g/\$(touch pwned);x.sgl" -o "$g/h.svg"
ok graph-hostile-name-no-shell test ! -e pwned -a ! -e "$g/pwned"
ok graph-hostile-name-argv sh -c "head -n 1 '$g/h.svg' | grep -qx 'args: -Tsvg'"
printf 'old\n' >"$g/keep.svg"
expect graph-dot-fails 2 env PATH="$g/failing" "$sgc" graph --format svg "$good" -o "$g/keep.svg"
ok graph-dot-fails-says grep -q 'dot -Tsvg failed (exit 3)' "$dir/err"
ok graph-dot-fails-kept sh -c "[ \"\$(cat '$g/keep.svg')\" = old ]"
