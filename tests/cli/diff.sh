# Sourced by tests/cli/run.sh: `sgc diff` (issue 13). Template pairs in
# tests/cli/diff/ with the expected text, markdown and JSON reports;
# `make golden-update` rewrites them (tests/cli/diff/update.sh).
d=tests/cli/diff

expect diff-text 0 sh -c "cd $d && \"$sgc\" diff old.json new.yaml"
ok diff-text-golden cmp -s "$dir/out" "$d/expected.txt"
expect diff-markdown 0 sh -c "cd $d && \"$sgc\" diff old.json new.yaml --format markdown"
ok diff-markdown-golden cmp -s "$dir/out" "$d/expected.md"
expect diff-json 0 sh -c "cd $d && \"$sgc\" diff old.json new.yaml --format=json"
ok diff-json-golden cmp -s "$dir/out" "$d/expected.json"
ok diff-json-parses python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["summary"]["replaced"] == 2' "$dir/out"

# What the report must say, independently of the goldens' wording elsewhere.
"$sgc" diff "$d/old.json" "$d/new.yaml" > "$dir/report.txt" 2>&1
ok diff-says-replaced grep -q '^replaced  PrivateSubnet (AWS::EC2::Subnet)$' "$dir/report.txt"
ok diff-says-cascade grep -q 'replaced because Properties.SubnetId refers to PrivateSubnet' "$dir/report.txt"
ok diff-says-fails grep -q 'THE UPDATE FAILS: NotebookInstanceName' "$dir/report.txt"
ok diff-says-orphaned grep -q 'orphaned: DeletionPolicy Retain' "$dir/report.txt"
ok diff-says-loses grep -q 'loses the notebook.s ML storage volume' "$dir/report.txt"
ok diff-script-lines grep -q '^      + echo started$' "$dir/report.txt"
ok diff-number-as-string-same sh -c "! grep -q VolumeSizeInGB '$dir/report.txt'"

# The same template, however written: no changes.
expect diff-get-template-object 0 "$sgc" diff "$d/get-template-object.json" "$d/old.json"
ok diff-get-template-object-none grep -q ': no changes$' "$dir/out"
expect diff-get-template-yaml 0 "$sgc" diff "$d/new.yaml" "$d/get-template-yaml.json"
ok diff-get-template-yaml-none grep -q ': no changes$' "$dir/out"
expect diff-stdin 0 sh -c "\"$sgc\" diff - '$d/old.json' < '$d/get-template-object.json'"
ok diff-stdin-named grep -q '^<stdin> -> ' "$dir/out"

# sgc's own output: a JSON build, a YAML build and the .sgl itself are one template.
"$sgc" build "$nb" -o "$dir/nb.json" 2>/dev/null
"$sgc" build "$nb" -o "$dir/nb.yaml" 2>/dev/null
expect diff-json-yaml-builds 0 "$sgc" diff "$dir/nb.json" "$dir/nb.yaml"
ok diff-json-yaml-builds-none grep -q ': no changes$' "$dir/out"
expect diff-build-vs-sgl 0 "$sgc" diff "$dir/nb.json" "$nb"
ok diff-build-vs-sgl-none grep -q ': no changes$' "$dir/out"
# -D and --vars reach the compile; a parameter's value is in the .params.json, not the template.
expect diff-sgl-vars 0 "$sgc" diff "$dir/nb.json" "$nb" -D instance_type=ml.t3.large
ok diff-sgl-vars-same-template grep -q ': no changes$' "$dir/out"
expect diff-sgl-vars-checked 1 "$sgc" diff "$dir/nb.json" "$nb" -D instance_type=m5.large
sed 's/10\.0\./10.7./g' "$nb" > "$dir/nb-moved.sgl"
expect diff-sgl-moved 0 "$sgc" diff "$dir/nb.json" "$dir/nb-moved.sgl"
ok diff-sgl-moved-vpc grep -q '^replaced  Vpc (AWS::EC2::VPC)$' "$dir/out"
ok diff-sgl-moved-notebook grep -q '^replaced  AnalystNotebook (AWS::SageMaker::NotebookInstance)$' "$dir/out"

# --fail-on: exit 3 when it trips, 0 otherwise.
expect diff-fail-on-replace 3 "$sgc" diff "$d/old.json" "$d/new.yaml" --fail-on replace
ok diff-fail-on-still-reports grep -q '^replaced  PrivateSubnet' "$dir/out"
expect diff-fail-on-change 3 "$sgc" diff "$d/old.json" "$d/new.yaml" --fail-on=change
expect diff-fail-on-replace-none 0 "$sgc" diff "$dir/nb.json" "$dir/nb.yaml" --fail-on replace
expect diff-fail-on-change-none 0 "$sgc" diff "$dir/nb.json" "$nb" --fail-on change
sed 's/50 GB/80 GB/' "$nb" > "$dir/nb-large.sgl"
"$sgc" build "$dir/nb-large.sgl" -o "$dir/nb-large.json" 2>/dev/null
expect diff-fail-on-replace-modified-only 0 "$sgc" diff "$dir/nb.json" "$dir/nb-large.json" --fail-on replace
ok diff-volume-in-place grep -q '^    Properties.VolumeSizeInGB: 50 -> 80$' "$dir/out"
expect diff-fail-on-change-modified-only 3 "$sgc" diff "$dir/nb.json" "$dir/nb-large.json" --fail-on change

# Bad input: 1, located. Usage: 2.
printf '{\n  "Resources": {\n    "A": ,\n  }\n}\n' > "$dir/bad.json"
expect diff-bad-json 1 "$sgc" diff "$dir/bad.json" "$d/old.json"
ok diff-bad-json-located grep -q 'bad.json:3:10: error: not valid JSON' "$dir/err"
printf 'Resources:\n  A:\n    Type: [x\n' > "$dir/bad.yaml"
expect diff-bad-yaml 1 "$sgc" diff "$d/old.json" "$dir/bad.yaml"
ok diff-bad-yaml-located grep -q 'bad.yaml:4:1: error: not valid YAML' "$dir/err"
printf '{"Description": "x"}\n' > "$dir/notmpl.json"
expect diff-not-a-template 1 "$sgc" diff "$dir/notmpl.json" "$d/old.json"
ok diff-not-a-template-says grep -q "notmpl.json:1:1: error: not a CloudFormation template: no .Resources." "$dir/err"
expect diff-bad-sgl 1 "$sgc" diff --color=never "$d/old.json" "$dir/bad.sgl"
ok diff-bad-sgl-diagnostic grep -q 'bad.sgl:3:22: error\[E0302\]' "$dir/err"
expect diff-one-operand 2 "$sgc" diff "$d/old.json"
expect diff-three-operands 2 "$sgc" diff "$d/old.json" "$d/old.json" "$d/old.json"
expect diff-bad-format 2 "$sgc" diff --format sarif "$d/old.json" "$d/new.yaml"
expect diff-bad-fail-on 2 "$sgc" diff --fail-on removal "$d/old.json" "$d/new.yaml"
expect diff-both-stdin 2 "$sgc" diff - -
expect diff-missing-file 2 "$sgc" diff "$d/old.json" "$dir/none.json"
expect diff-refuses-output 2 "$sgc" diff -o "$dir/x" "$d/old.json" "$d/new.yaml"
expect build-refuses-fail-on 2 "$sgc" build --fail-on replace "$good"
expect help-diff 0 "$sgc" help diff
ok help-diff-text grep -q '^usage: sgc diff OLD NEW' "$dir/out"
