'use strict';
/*
 * The sgl extension: starts `sgc lsp` (stdio) for .sgl files, with the
 * binary from the setting `sgc.path`, and restarts it when that changes.
 * Definitions in sgc's embedded standard library are read-only documents
 * of the scheme sgc-stdlib, whose text the server gives on request.
 */
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

const STDLIB_SCHEME = 'sgc-stdlib';
let client;

function serverCommand() {
	const path = vscode.workspace.getConfiguration('sgc').get('path');
	return typeof path === 'string' && path.trim() ? path.trim() : 'sgc';
}

async function start() {
	const command = serverCommand();
	client = new LanguageClient('sgc', 'sgc language server',
		{ command, args: ['lsp'] },
		{
			documentSelector: [
				{ scheme: 'file', language: 'sgl' },
				{ scheme: 'untitled', language: 'sgl' },
				{ scheme: STDLIB_SCHEME, language: 'sgl' },
			],
		});
	try {
		await client.start();
	} catch (e) {
		vscode.window.showErrorMessage(
			`sgl: cannot start \`${command} lsp\` (set sgc.path): ${e && e.message ? e.message : e}`);
	}
}

async function stop() {
	const c = client;
	client = undefined;
	if (c)
		await c.stop();
}

async function activate(context) {
	context.subscriptions.push(
		vscode.workspace.registerTextDocumentContentProvider(STDLIB_SCHEME, {
			async provideTextDocumentContent(uri) {
				if (!client)
					return '';
				const r = await client.sendRequest('sgc/stdlibContent', { uri: uri.toString() });
				return r && typeof r.text === 'string' ? r.text : '';
			},
		}),
		vscode.workspace.onDidChangeConfiguration(async (e) => {
			if (e.affectsConfiguration('sgc.path')) {
				await stop();
				await start();
			}
		}),
		{ dispose: () => { stop(); } });
	await start();
}

function deactivate() {
	return stop();
}

module.exports = { activate, deactivate };
