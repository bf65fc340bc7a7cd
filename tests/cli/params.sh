# Sourced by tests/cli/run.sh: parameters a CI deploy can use (issue 13).

# Every example's parameter file deploys a new stack as is: each parameter
# without a default has a value in it. The S3 prefix list comes from sgc's
# table as a Mapping, with the parameter only to override it.
for ex in examples/*.sgl; do
	n=$(basename "$ex" .sgl)
	expect "params-$n-builds" 0 "$sgc" build "$ex" -o "$dir/p-$n.json"
	ok "params-$n-file-complete" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
given = {p["ParameterKey"] for p in json.load(open(sys.argv[2]))}
need = [k for k, v in t.get("Parameters", {}).items() if "Default" not in v and k not in given]
sys.exit("needs a value at deploy: " + " ".join(need) if need else 0)
' "$dir/p-$n.json" "$dir/p-$n.params.json"
done
ok params-s3-table-us-west-2 grep -q '"S3": "pl-68a54001"' "$dir/p-restricted-egress.json"
ok params-s3-override-kept grep -q '"S3PrefixListIdGiven"' "$dir/p-restricted-egress.json"

# A used parameter with no value from its default, --vars or -D: E0541,
# nothing written; a stage value, or the `= deploy` marker, builds.
printf 'environment demo {\n  region = "us-east-1"\n  param editor: instance\n  param unused: string\n  notebook analyst {  # sgc: allow W0606\n    instance = param.editor\n  }\n}\n' >"$dir/req.sgl"
expect params-required-refused 1 "$sgc" build --color=never "$dir/req.sgl" -o "$dir/req.json"
ok params-required-located grep -q 'req.sgl:3:9: error\[E0541\]: parameter `editor` has no value' "$dir/err"
ok params-required-unused-not-reported sh -c "! grep -q 'unused' '$dir/err'"
ok params-required-no-output test ! -e "$dir/req.json" -a ! -e "$dir/req.params.json"
expect params-required-check-refused 1 "$sgc" check --color=never "$dir/req.sgl"
expect params-required-define 0 "$sgc" build "$dir/req.sgl" -D editor=ml.t3.large -o "$dir/req.json"
ok params-required-define-value grep -q '"ml.t3.large"' "$dir/req.params.json"
printf 'editor: ml.m5.xlarge\nother_env_key: 3\n' >"$dir/stage.yaml"
expect params-required-vars 0 "$sgc" build --color=never "$dir/req.sgl" --vars "$dir/stage.yaml" -o "$dir/req2.json"
ok params-required-vars-value grep -q '"ml.m5.xlarge"' "$dir/req2.params.json"
ok params-other-env-key-warned grep -q 'warning\[W0541\]: `other_env_key`' "$dir/err"
sed 's/param editor: instance/param editor: instance = deploy/' "$dir/req.sgl" >"$dir/dep.sgl"
expect params-at-deploy-builds 0 "$sgc" build --color=never "$dir/dep.sgl" -o "$dir/dep.json"
ok params-at-deploy-no-warning test ! -s "$dir/err"
ok params-at-deploy-no-default python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["Parameters"]["Editor"]
assert "Default" not in p and p["Description"].endswith("(supplied at deploy)"), p
assert json.load(open(sys.argv[2])) == []
' "$dir/dep.json" "$dir/dep.params.json"
expect params-at-deploy-fmt-stable 0 "$sgc" fmt --check "$dir/dep.sgl"

# -o into directories that do not exist yet: made (0755), the set written
# there; a failed build leaves none behind; a file in the way is refused.
expect out-new-dirs 0 "$sgc" build examples/restricted-egress.sgl -o "$dir/new/a/b/stack.json"
ok out-new-dirs-template test -s "$dir/new/a/b/stack.json" -a -s "$dir/new/a/b/stack.params.json"
ok out-new-dirs-lifecycle test -d "$dir/new/a/b/lifecycle"
ok out-new-dirs-mode test "$(stat -c %a "$dir/new/a")" = 755
ok out-new-dirs-no-lock-left test ! -e "$dir/new/a/b/.sgc-lock"
# (a build refused by the checker writes nothing, so it makes no directory)
expect out-new-dirs-failed-build 1 "$sgc" build tests/errors/prefix-list-govcloud.sgl -o "$dir/gone/x/stack.json"
ok out-new-dirs-failed-build-none test ! -e "$dir/gone"
: >"$dir/plain"
expect out-new-dirs-file-in-way 2 "$sgc" build "$good" -o "$dir/plain/sub/stack.json"
ok out-new-dirs-file-in-way-says grep -q 'Not a directory' "$dir/err"
mkdir "$dir/ro"
chmod 0555 "$dir/ro"
if [ "$(id -u)" != 0 ]; then
	expect out-new-dirs-no-permission 1 "$sgc" build "$good" -o "$dir/ro/sub/stack.json"
	ok out-new-dirs-no-permission-says grep -q "cannot create \`$dir/ro/sub\`" "$dir/err"
fi
chmod 0755 "$dir/ro"
