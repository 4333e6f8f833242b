// Copies the icons and the nodes' codex files next to the compiled code, where n8n looks for them.
const { src, dest, parallel } = require('gulp');

function buildIcons() {
	return src('icons/*.svg', { encoding: false }).pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:icons'] = parallel(buildIcons, copyCodex);
