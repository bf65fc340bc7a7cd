'use strict';
/*
 * The TextMate grammar (editors/sgl.tmLanguage.json) against sgc's own
 * scanner. Every .sgl in the repository is dumped with `sgc fmt --tokens`
 * (KIND LINE:COL TEXT) and tokenized with vscode-textmate, the engine VS
 * Code runs; then
 *   - every character of every scanner token carries a scope its kind
 *     allows (KINDS below), and a grammar token starts and ends where the
 *     scanner token does;
 *   - every character outside the tokens (blanks) carries no scope but
 *     source.sgl;
 *   - every kind of KINDS occurs somewhere in the corpus;
 *   - every rule of the grammar matters: renaming the scope of any rule
 *     (but the inner ones in INNER), or dropping the guard that keeps a
 *     number from eating the letters after it, makes the comparison fail.
 * A file that does not lex cleanly is skipped and counted, but for the
 * fixtures in tests/editor/fixtures (INVALID tokens: the scanner's
 * errors), compared like the others.
 *
 * usage: node grammar-test.js NODE_MODULES SGC REPO
 */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [modules, sgc, repo] = process.argv.slice(2);
if (!modules || !sgc || !repo) {
	console.error('usage: node grammar-test.js NODE_MODULES SGC REPO');
	process.exit(2);
}
const vsctm = require(path.join(modules, 'vscode-textmate'));
const oniguruma = require(path.join(modules, 'vscode-oniguruma'));

/* Scanner kind -> the scope prefixes allowed for it. */
const KINDS = {
	COMMENT: ['comment.line.number-sign', 'comment.line.double-slash'],
	IMPORT: ['keyword.control.import'],
	PARAM: ['keyword.other.param'],
	TRUE: ['constant.language.boolean.true'],
	FALSE: ['constant.language.boolean.false'],
	IDENT: ['storage.type.block', 'entity.name.block', 'variable.other.property',
		'support.type.property-name', 'entity.name.function', 'variable.other',
		'variable.parameter', 'support.type'],
	STRING: ['string.quoted.double'],
	INT: ['constant.numeric.integer'],
	SIZE: ['constant.numeric.size'],
	DURATION: ['constant.numeric.duration'],
	CIDR: ['constant.numeric.cidr'],
	INSTANCE: ['constant.other.instance-type'],
	INVALID: ['invalid.illegal.numeric', 'invalid.illegal.unterminated-string'],
	LBRACE: ['punctuation.section.braces.begin'],
	RBRACE: ['punctuation.section.braces.end'],
	LBRACK: ['punctuation.section.brackets.begin'],
	RBRACK: ['punctuation.section.brackets.end'],
	LPAREN: ['punctuation.section.parens.begin'],
	RPAREN: ['punctuation.section.parens.end'],
	EQ: ['keyword.operator.assignment'],
	COLON: ['punctuation.separator.key-value', 'punctuation.separator.type'],
	COMMA: ['punctuation.separator.comma'],
	DOT: ['punctuation.accessor'],
	PLUS: ['keyword.operator.set.union'],
	MINUS: ['keyword.operator.set.difference'],
	SEMI: ['punctuation.terminator.statement'],
};
/* Scopes inside a token whose kind is already told by the outer scope. */
const INNER = new Set([
	'punctuation.definition.comment.sgl',
	'punctuation.definition.string.begin.sgl',
	'punctuation.definition.string.end.sgl',
	'constant.character.escape.sgl',
	'invalid.illegal.escape.sgl',
	'keyword.other.unit.sgl',
]);

function has(scopes, prefixes) {
	return scopes.some((s) => prefixes.some((p) => s === p || s.startsWith(p + '.')));
}

/* Every .sgl below the repository, but build output and hidden entries. */
function corpus() {
	const out = [];
	const walk = (dir) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
			a.name < b.name ? -1 : 1)) {
			if (e.name.startsWith('.') || e.name === 'build' || e.name === 'node_modules')
				continue;
			const p = path.join(dir, e.name);
			if (e.isDirectory())
				walk(p);
			else if (e.isFile() && e.name.endsWith('.sgl'))
				out.push(p);
		}
	};
	walk(repo);
	return out;
}

/* The scanner's dump of one file: {clean, tokens: [{kind, line, col, text}]}. */
function dump(file) {
	let stdout, clean = true;
	try {
		stdout = execFileSync(sgc, ['fmt', '--tokens', file], { encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
	} catch (e) {
		if (e.status !== 1)
			throw new Error(`${file}: sgc fmt --tokens exited ${e.status}`);
		stdout = e.stdout;
		clean = false;
	}
	const tokens = [];
	for (const l of stdout.split('\n')) {
		if (!l)
			continue;
		const m = /^([A-Z]+) ([0-9]+):([0-9]+)(?: (.*))?$/.exec(l);
		if (!m)
			throw new Error(`${file}: cannot read the dump line ${JSON.stringify(l)}`);
		tokens.push({ kind: m[1], line: +m[2], col: +m[3], text: m[4] || '' });
	}
	return { clean, tokens };
}

/*
 * How many UTF-16 units of `line` from `at` the dumped `text` stands for:
 * the dump writes hidden characters as \n \r \t \xHH \u{H}. -1: no match.
 */
function extent(line, at, text) {
	let i = at, j = 0;
	while (j < text.length) {
		if (i >= line.length)
			return -1;
		const cp = line.codePointAt(i), w = cp > 0xFFFF ? 2 : 1;
		if (text.startsWith(line.slice(i, i + w), j)) {
			i += w;
			j += w;
			continue;
		}
		const m = /^\\(?:([nrt])|x([0-9a-f]{2})|u\{([0-9a-f]+)\})/.exec(text.slice(j));
		const v = !m ? -1 : m[1] ? { n: 10, r: 13, t: 9 }[m[1]] : parseInt(m[2] || m[3], 16);
		if (v !== cp)
			return -1;
		i += w;
		j += m[0].length;
	}
	return i - at;
}

/* Code-point column (1-based) -> UTF-16 offset in `line`. */
function offset(line, col) {
	let i = 0;
	for (let c = 1; c < col && i < line.length; c++)
		i += line.codePointAt(i) > 0xFFFF ? 2 : 1;
	return i;
}

/* Scopes of every UTF-16 unit of every line, and where grammar tokens start. */
function tokenize(grammar, text) {
	const lines = text.split('\n');
	let stack = vsctm.INITIAL;
	return lines.map((raw) => {
		const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
		const r = grammar.tokenizeLine(line, stack, 0);
		stack = r.ruleStack;
		const scopes = new Array(line.length);
		const starts = new Set([line.length]);
		for (const t of r.tokens) {
			starts.add(t.startIndex);
			for (let k = t.startIndex; k < Math.min(t.endIndex, line.length); k++)
				scopes[k] = t.scopes;
		}
		return { raw, line, scopes, starts };
	});
}

/* Compare one file; returns a list of problems and counts the kinds seen. */
function compare(grammar, file, source, tokens, seen) {
	const problems = [];
	const say = (msg) => { if (problems.length < 5) problems.push(`${file}:${msg}`); };
	const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
	const lines = tokenize(grammar, text);
	const covered = lines.map((l) => new Uint8Array(l.line.length));
	for (const t of tokens) {
		if (t.kind === 'END')
			continue;
		const allowed = KINDS[t.kind];
		if (!allowed) {
			say(`${t.line}:${t.col}: kind ${t.kind} has no scope in the test's table`);
			continue;
		}
		seen[t.kind] = (seen[t.kind] || 0) + 1;
		const L = lines[t.line - 1];
		const at = L ? offset(L.raw, t.col) : -1;
		const n = L ? extent(L.raw, at, t.text) : -1;
		if (n <= 0) {
			say(`${t.line}:${t.col}: ${t.kind} ${JSON.stringify(t.text)} is not in the source there`);
			continue;
		}
		const end = Math.min(at + n, L.line.length);
		for (let k = at; k < end; k++) {
			covered[t.line - 1][k] = 1;
			if (!has(L.scopes[k], allowed)) {
				say(`${t.line}:${t.col + k - at}: ${t.kind} ${JSON.stringify(t.text)}` +
				    ` has scopes ${L.scopes[k].join(' ')}; want ${allowed.join(' or ')}`);
				break;
			}
		}
		if (!L.starts.has(at) || !L.starts.has(end))
			say(`${t.line}:${t.col}: ${t.kind} ${JSON.stringify(t.text)} is not a whole grammar token`);
	}
	lines.forEach((L, i) => {
		for (let k = 0; k < L.line.length; k++)
			if (!covered[i][k] && L.scopes[k].length !== 1)
				return say(`${i + 1}: a blank at unit ${k} has scopes ${L.scopes[k].join(' ')}`);
	});
	return problems;
}

async function loadGrammar(json) {
	const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma', 'release', 'onig.wasm'));
	if (!loadGrammar.onig) {
		loadGrammar.onig = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset,
			wasm.byteOffset + wasm.byteLength));
	}
	await loadGrammar.onig;
	const registry = new vsctm.Registry({
		onigLib: Promise.resolve({
			createOnigScanner: (p) => new oniguruma.OnigScanner(p),
			createOnigString: (s) => new oniguruma.OnigString(s),
		}),
		loadGrammar: async (scope) => scope === 'source.sgl'
			? vsctm.parseRawGrammar(JSON.stringify(json), 'sgl.tmLanguage.json') : null,
	});
	return registry.loadGrammar('source.sgl');
}

/* Run the comparison over the corpus; {problems, seen}. */
async function run(json, files) {
	const grammar = await loadGrammar(json);
	const problems = [];
	const seen = {};
	for (const f of files)
		problems.push(...compare(grammar, f.name, f.source, f.tokens, seen));
	return { problems, seen };
}

/* The grammar with one thing broken, one per mutation. */
function mutations(json) {
	const out = [];
	const visit = (rule, where) => {
		if (rule.name && !INNER.has(rule.name))
			out.push({ what: `${where}: scope ${rule.name}`, apply: (r) => { r.name = 'mutated.sgl'; }, where });
		for (const key of ['captures', 'beginCaptures', 'endCaptures'])
			for (const [n, c] of Object.entries(rule[key] || {}))
				if (c.name && !INNER.has(c.name))
					out.push({ what: `${where}: ${key} ${n} ${c.name}`, where,
						apply: (r) => { r[key][n].name = 'mutated.sgl'; } });
		(rule.patterns || []).forEach((p, i) => visit(p, `${where}.patterns[${i}]`));
	};
	for (const [k, r] of Object.entries(json.repository))
		visit(r, `repository.${k}`);
	const num = json.repository.literal.patterns.findIndex((p) =>
		p.name && p.name.startsWith('constant.numeric.integer'));
	out.push({ what: 'integers without the guard against a longer bad literal',
		where: `repository.literal.patterns[${num}]`,
		apply: (r) => { r.match = r.match.replace('(?![A-Za-z0-9_./])', ''); } });
	return out;
}

function at(json, where) {
	let r = json;
	for (const part of where.split('.').slice(0))
		for (const m of part.matchAll(/([^[\]]+)|\[(\d+)\]/g))
			r = r[m[1] !== undefined ? m[1] : +m[2]];
	return r;
}

(async () => {
	const grammarPath = path.join(repo, 'editors', 'sgl.tmLanguage.json');
	const json = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));
	const fixtures = path.join(repo, 'tests', 'editor', 'fixtures') + path.sep;
	const files = [];
	let skipped = 0, tokens = 0;
	for (const name of corpus()) {
		const d = dump(name);
		if (!d.clean && !name.startsWith(fixtures)) {
			skipped++;
			continue;
		}
		files.push({ name: path.relative(repo, name), source: fs.readFileSync(name, 'utf8'),
			tokens: d.tokens });
		tokens += d.tokens.length;
	}
	let fail = 0;
	const { problems, seen } = await run(json, files);
	for (const p of problems) {
		console.log(`FAIL ${p}`);
		fail++;
	}
	for (const k of Object.keys(KINDS))
		if (!seen[k]) {
			console.log(`FAIL no token of kind ${k} in the corpus: add a fixture to tests/editor/fixtures`);
			fail++;
		}
	console.log(`grammar: ${files.length} files, ${tokens} tokens compared, ` +
		    `${Object.keys(seen).length} kinds seen; ${skipped} files skipped (they do not lex cleanly)`);

	/* The mutation check: each broken grammar must fail the comparison. */
	let caught = 0;
	const muts = mutations(json);
	for (const m of muts) {
		const copy = JSON.parse(JSON.stringify(json));
		m.apply(at(copy, m.where));
		const r = await run(copy, files);
		if (r.problems.length)
			caught++;
		else {
			console.log(`FAIL mutation not caught: ${m.what}`);
			fail++;
		}
	}
	console.log(`mutations: ${caught} of ${muts.length} caught`);
	if (muts.length < 20) {
		console.log('FAIL fewer mutations than rules: the grammar was not read');
		fail++;
	}
	console.log(fail ? `grammar test: ${fail} failures` : 'grammar test: ok');
	process.exit(fail ? 1 : 0);
})().catch((e) => {
	console.error(e && e.stack || e);
	process.exit(1);
});
