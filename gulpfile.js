// Copies the icons next to the compiled nodes and credentials, where their `file:` paths point.
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/*.svg', { encoding: false }).pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
