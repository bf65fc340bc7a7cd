'use strict';
/*
 * The VS Code extension (editors/vscode) without VS Code, which is not
 * installed where the tests run: what can be checked offline.
 *   - the manifest: the fields and rules VS Code's extension validator and
 *     vsce apply (name, publisher, version, engines.vscode no older than
 *     the language client's, main, every contributed path inside the
 *     folder and present, the grammar's language contributed, every
 *     setting extension.js reads declared);
 *   - the grammar loads in vscode-textmate from the path the manifest names;
 *   - language-configuration.json: strict JSON, pairs, and its patterns
 *     (JavaScript regular expressions, as VS Code compiles them) on sgl lines;
 *   - extension.js run against stand-ins for `vscode` and the language
 *     client: it starts `<sgc.path> lsp` (`sgc` by default) over stdio,
 *     restarts on a change of sgc.path, and serves sgc-stdlib: documents
 *     with the server's `sgc/stdlibContent`.
 * Each check has a negative twin: a broken copy that must fail it.
 *
 * usage: node extension-test.js NODE_MODULES REPO
 */
const fs = require('fs');
const path = require('path');
const Module = require('module');

const [modules, repo] = process.argv.slice(2);
const ext = path.join(repo, 'editors', 'vscode');
const vsctm = require(path.join(modules, 'vscode-textmate'));
const oniguruma = require(path.join(modules, 'vscode-oniguruma'));

let fail = 0, pass = 0;
function check(name, problems) {
	if (problems.length) {
		for (const p of problems)
			console.log(`FAIL ${name}: ${p}`);
		fail++;
	} else {
		pass++;
	}
}
function mustFail(name, problems) {
	if (problems.length)
		pass++;
	else {
		console.log(`FAIL negative twin not caught: ${name}`);
		fail++;
	}
}

/* ---- the manifest ---------------------------------------------------- */

const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const ENGINE = /^\^?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

function minVersion(range) {
	const m = ENGINE.exec(range || '');
	return m ? [+m[1], +m[2], +m[3]] : null;
}

function inside(dir, rel) {
	const p = path.normalize(path.join(dir, rel));
	return p.startsWith(dir + path.sep);
}

function manifestProblems(dir, pkg, lock, source) {
	const p = [];
	const need = (ok, msg) => { if (!ok) p.push(msg); };
	need(typeof pkg.name === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(pkg.name),
		'name: lowercase letters, digits and dashes');
	need(typeof pkg.publisher === 'string' && /^[a-z0-9][a-z0-9-]*$/i.test(pkg.publisher),
		'publisher: letters, digits and dashes');
	need(typeof pkg.version === 'string' && SEMVER.test(pkg.version), 'version: semver');
	const engine = minVersion(pkg.engines && pkg.engines.vscode);
	need(engine, 'engines.vscode: a version range like ^1.82.0');
	const client = lock.packages && lock.packages['node_modules/vscode-languageclient'];
	need(client, 'package-lock.json: no vscode-languageclient');
	if (engine && client) {
		const want = minVersion(client.engines && client.engines.vscode);
		need(want && (engine[0] - want[0] || engine[1] - want[1] || engine[2] - want[2]) >= 0,
			`engines.vscode ${pkg.engines.vscode} is older than vscode-languageclient ${client.version} needs`);
		need(pkg.dependencies && pkg.dependencies['vscode-languageclient'] === client.version,
			'the dependency on vscode-languageclient is not the exact version locked');
	}
	need(typeof pkg.main === 'string' && inside(dir, pkg.main) && fs.existsSync(path.join(dir, pkg.main)),
		'main: a file inside the folder');
	need(Array.isArray(pkg.activationEvents) && pkg.activationEvents.every((e) => typeof e === 'string'),
		'activationEvents: an array of strings');
	const c = pkg.contributes || {};
	const langs = new Set();
	for (const l of c.languages || []) {
		need(typeof l.id === 'string' && l.id, 'languages[].id');
		langs.add(l.id);
		need(Array.isArray(l.extensions) && l.extensions.every((e) => /^\.[^./]+$/.test(e)),
			`languages ${l.id}: extensions start with a dot`);
		need(typeof l.configuration === 'string' && inside(dir, l.configuration) &&
			fs.existsSync(path.join(dir, l.configuration)), `languages ${l.id}: configuration inside the folder`);
	}
	need(langs.has('sgl') && (c.languages.find((l) => l.id === 'sgl').extensions || []).includes('.sgl'),
		'the sgl language for .sgl files');
	need((c.grammars || []).length > 0, 'a grammar');
	for (const g of c.grammars || []) {
		need(langs.has(g.language), `grammar for ${g.language}: no such language contributed`);
		need(typeof g.scopeName === 'string' && /^source\./.test(g.scopeName), 'grammars[].scopeName');
		need(typeof g.path === 'string' && inside(dir, g.path) && fs.existsSync(path.join(dir, g.path)),
			`grammar ${g.path}: a file inside the folder`);
	}
	const props = (c.configuration && c.configuration.properties) || {};
	for (const m of source.matchAll(/getConfiguration\('([a-z]+)'\)\.get\('([A-Za-z.]+)'\)/g))
		need(props[`${m[1]}.${m[2]}`], `extension.js reads ${m[1]}.${m[2]}, which the manifest does not declare`);
	need(props['sgc.path'] && props['sgc.path'].type === 'string', 'the setting sgc.path');
	return p;
}

/* ---- the language configuration -------------------------------------- */

function configurationProblems(conf) {
	const p = [];
	const need = (ok, msg) => { if (!ok) p.push(msg); };
	need(conf.comments && conf.comments.lineComment === '#', 'comments.lineComment: #');
	const pair = (x) => Array.isArray(x) && x.length === 2 && x.every((s) => typeof s === 'string' && s);
	need(Array.isArray(conf.brackets) && conf.brackets.length === 3 && conf.brackets.every(pair),
		'brackets: {} [] ()');
	need(Array.isArray(conf.autoClosingPairs) &&
		['{', '[', '(', '"'].every((o) => conf.autoClosingPairs.some((a) => a.open === o && a.close)),
		'autoClosingPairs: { [ ( "');
	const re = (s) => { try { return new RegExp(s); } catch (e) { p.push(`${s}: ${e.message}`); return /$^/; } };
	const ind = conf.indentationRules || {};
	const inc = re(ind.increaseIndentPattern), dec = re(ind.decreaseIndentPattern);
	for (const l of ['network vpc {', '  tags = {  # a comment', 'endpoints = [', 'x = f(', 'subnet a { // c'])
		need(inc.test(l), `increaseIndentPattern misses ${JSON.stringify(l)}`);
	for (const l of ['  region = "eu-west-1"', '# network vpc {', '// {', '}'])
		need(!inc.test(l), `increaseIndentPattern matches ${JSON.stringify(l)}`);
	for (const l of ['}', '  ]', ') + x'])
		need(dec.test(l), `decreaseIndentPattern misses ${JSON.stringify(l)}`);
	need(!dec.test('  x = {}'), 'decreaseIndentPattern matches an attribute');
	const word = re(conf.wordPattern);
	for (const w of ['ml.t3.medium', 'zone-a', 'private_a', '10.0.0.0/16', 'egress-443'])
		need((word.exec(` ${w} `) || [])[0] === w, `wordPattern does not take ${w} whole`);
	return p;
}

/* ---- extension.js against stand-ins --------------------------------- */

async function extensionProblems(source) {
	const p = [];
	const need = (ok, msg) => { if (!ok) p.push(msg); };
	const log = { clients: [], providers: {}, listeners: [], errors: [] };
	let setting;
	const vscode = {
		workspace: {
			getConfiguration: (section) => ({ get: (key) => (section === 'sgc' && key === 'path' ? setting : undefined) }),
			registerTextDocumentContentProvider: (scheme, provider) => {
				log.providers[scheme] = provider;
				return { dispose() {} };
			},
			onDidChangeConfiguration: (f) => { log.listeners.push(f); return { dispose() {} }; },
		},
		window: { showErrorMessage: (m) => log.errors.push(m) },
	};
	class LanguageClient {
		constructor(id, name, server, client) {
			Object.assign(this, { id, name, server, client, started: false, stopped: false, requests: [] });
			log.clients.push(this);
		}
		async start() { this.started = true; }
		async stop() { this.stopped = true; }
		async sendRequest(method, params) {
			this.requests.push({ method, params });
			return { text: `text of ${params.uri}` };
		}
	}
	const load = Module._load;
	Module._load = function (request, ...rest) {
		if (request === 'vscode')
			return vscode;
		if (request === 'vscode-languageclient/node')
			return { LanguageClient };
		return load.call(this, request, ...rest);
	};
	try {
		const m = new Module(path.join(ext, 'extension.js'));
		m.paths = [];
		m._compile(source, path.join(ext, 'extension.js'));
		const api = m.exports;
		need(typeof api.activate === 'function' && typeof api.deactivate === 'function',
			'exports activate and deactivate');
		const subs = [];
		setting = undefined;
		await api.activate({ subscriptions: subs });
		const first = log.clients[0];
		need(first && first.started, 'activate starts a language client');
		if (!first)
			return p;
		need(first.server.command === 'sgc' && JSON.stringify(first.server.args) === '["lsp"]' &&
			!first.server.transport, `default server: ${JSON.stringify(first.server)}; want sgc lsp over stdio`);
		const sel = (first.client.documentSelector || []).map((s) => `${s.scheme}:${s.language}`);
		need(sel.includes('file:sgl'), `documentSelector ${sel} lacks file sgl`);
		need(sel.includes('sgc-stdlib:sgl'), `documentSelector ${sel} lacks sgc-stdlib sgl`);
		const prov = log.providers['sgc-stdlib'];
		need(prov, 'no content provider for sgc-stdlib:');
		if (prov) {
			const uri = 'sgc-stdlib:///endpoints.sgl';
			const text = await prov.provideTextDocumentContent({ toString: () => uri });
			need(text === `text of ${uri}` && first.requests.some((r) =>
				r.method === 'sgc/stdlibContent' && r.params.uri === uri),
			'sgc-stdlib: documents come from sgc/stdlibContent');
		}
		setting = '/opt/sgc/bin/sgc';
		for (const f of log.listeners)
			await f({ affectsConfiguration: (s) => s === 'sgc.path' || s === 'sgc' });
		const second = log.clients[1];
		need(first.stopped && second && second.started && second.server.command === setting &&
			JSON.stringify(second.server.args) === '["lsp"]',
		'a change of sgc.path restarts the server with the new binary');
		await api.deactivate();
		need(second && second.stopped, 'deactivate stops the server');
		need(subs.length >= 2, 'activate registers its disposables');
		need(log.errors.length === 0, `errors shown: ${log.errors}`);
	} catch (e) {
		p.push(`extension.js threw: ${e && e.stack || e}`);
	} finally {
		Module._load = load;
	}
	return p;
}

(async () => {
	const read = (f) => fs.readFileSync(path.join(ext, f), 'utf8');
	const pkg = JSON.parse(read('package.json'));
	const lock = JSON.parse(read('package-lock.json'));
	const source = read('extension.js');
	check('manifest', manifestProblems(ext, pkg, lock, source));
	const broken = JSON.parse(JSON.stringify(pkg));
	broken.contributes.grammars[0].path = '../sgl.tmLanguage.json';
	mustFail('a grammar outside the folder', manifestProblems(ext, broken, lock, source));
	const old = JSON.parse(JSON.stringify(pkg));
	old.engines.vscode = '^1.60.0';
	mustFail('an engine older than the language client', manifestProblems(ext, old, lock, source));
	mustFail('an undeclared setting', manifestProblems(ext, pkg, lock,
		source.replace(".get('path')", ".get('binary')")));

	/* The grammar, from where the manifest says it is. */
	const gpath = path.join(ext, pkg.contributes.grammars[0].path);
	const gjson = fs.readFileSync(gpath, 'utf8');
	const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma', 'release', 'onig.wasm'));
	await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
	const registry = new vsctm.Registry({
		onigLib: Promise.resolve({
			createOnigScanner: (s) => new oniguruma.OnigScanner(s),
			createOnigString: (s) => new oniguruma.OnigString(s),
		}),
		loadGrammar: async (scope) => scope === pkg.contributes.grammars[0].scopeName
			? vsctm.parseRawGrammar(gjson, gpath) : null,
	});
	const grammar = await registry.loadGrammar(pkg.contributes.grammars[0].scopeName);
	const toks = grammar ? grammar.tokenizeLine('network vpc { # x', vsctm.INITIAL).tokens : [];
	check('grammar loads from the manifest path', grammar && toks.some((t) =>
		t.scopes.includes('storage.type.block.sgl')) ? [] : ['no grammar, or no block scope']);

	const conf = JSON.parse(read(pkg.contributes.languages[0].configuration));
	check('language configuration', configurationProblems(conf));
	mustFail('a configuration whose indentation follows a commented brace',
		configurationProblems({ ...conf, indentationRules: { ...conf.indentationRules,
			increaseIndentPattern: '[\\{\\[\\(]\\s*$' } }));

	check('extension.js', await extensionProblems(source));
	mustFail('an extension that runs `sgc serve`',
		await extensionProblems(source.replace("args: ['lsp']", "args: ['serve']")));
	mustFail('an extension that ignores sgc.path changes',
		await extensionProblems(source.replace("affectsConfiguration('sgc.path')", "affectsConfiguration('sgc.x')")));

	console.log(`extension: ${pass} checks passed, ${fail} failed (VS Code itself is not run: \`code\` is not installed here)`);
	process.exit(fail ? 1 : 0);
})().catch((e) => {
	console.error(e && e.stack || e);
	process.exit(1);
});
