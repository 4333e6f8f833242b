/**
 * Reading keys. Users paste PEM (PKCS#1 or PKCS#8 / SPKI), PEM with literal "\n", or the bare base64 body.
 * Parsed keys are cached by their text so the per-request path never re-parses a key.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'crypto';

export class KeyFormatError extends Error {}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const MAX_CACHED_KEYS = 64;
const privateKeyCache = new Map<string, KeyObject>();
const publicKeyCache = new Map<string, KeyObject>();

interface KeyMaterial {
	/** PEM label, when the text had armour */
	label?: string;
	der: Buffer;
}

function readKeyMaterial(text: string): KeyMaterial | undefined {
	const unescaped = text
		.trim()
		.replace(/^["']|["']$/g, '')
		.replace(/\\r\\n|\\n|\\r/g, '\n');
	const pem = PEM_BLOCK.exec(unescaped);
	const label = pem ? pem[1] : undefined;
	let body = pem ? pem[2] : unescaped;
	// Encrypted PEM headers (Proc-Type/DEK-Info) cannot be used without a passphrase.
	if (/Proc-Type:|DEK-Info:/.test(body)) return undefined;
	body = body.replace(/\s+/g, '');
	if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
	return { label, der: Buffer.from(body, 'base64') };
}

function remember(cache: Map<string, KeyObject>, text: string, key: KeyObject): KeyObject {
	if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value as string);
	cache.set(text, key);
	return key;
}

function firstParsed<T>(attempts: Array<() => T>): T | undefined {
	for (const attempt of attempts) {
		try {
			return attempt();
		} catch {
			// try the next encoding
		}
	}
	return undefined;
}

const PRIVATE_KEY_HELP =
	'Paste the RSA private key whose public half is uploaded in the Revenue Monster portal: the PEM text ' +
	'("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"), with real or "\\n" line breaks, ' +
	'or only the base64 between those lines.';

/** Parses the merchant private key; the error never contains the key. */
export function parsePrivateKey(text: string | undefined): KeyObject {
	if (!text || text.trim() === '') {
		throw new KeyFormatError(`The private key is empty. ${PRIVATE_KEY_HELP}`);
	}
	const cached = privateKeyCache.get(text);
	if (cached) return cached;

	const material = readKeyMaterial(text);
	if (material?.label && /PUBLIC KEY/.test(material.label)) {
		throw new KeyFormatError(
			`The private key field holds a public key. ${PRIVATE_KEY_HELP}`,
		);
	}
	const key =
		material &&
		firstParsed([
			() => createPrivateKey({ key: material.der, format: 'der', type: 'pkcs8' }),
			() => createPrivateKey({ key: material.der, format: 'der', type: 'pkcs1' }),
		]);
	if (!key) {
		throw new KeyFormatError(`The private key could not be read. ${PRIVATE_KEY_HELP}`);
	}
	if (key.asymmetricKeyType !== 'rsa') {
		throw new KeyFormatError(`The private key is not an RSA key. ${PRIVATE_KEY_HELP}`);
	}
	return remember(privateKeyCache, text, key);
}

const PUBLIC_KEY_HELP =
	'Copy it from the Revenue Monster portal (Developer → Applications → Server Public Key): the PEM text, ' +
	'or only its base64 body as the portal shows it.';

/** Parses RM's server public key (SPKI or PKCS#1, PEM or bare base64); errors never contain the key. */
export function parsePublicKey(text: string | undefined): KeyObject {
	if (!text || text.trim() === '') {
		throw new KeyFormatError(`The server public key is empty. ${PUBLIC_KEY_HELP}`);
	}
	const cached = publicKeyCache.get(text);
	if (cached) return cached;

	const material = readKeyMaterial(text);
	if (material?.label && /PRIVATE KEY/.test(material.label)) {
		throw new KeyFormatError(`The server public key field holds a private key. ${PUBLIC_KEY_HELP}`);
	}
	const key =
		material &&
		firstParsed([
			() => createPublicKey({ key: material.der, format: 'der', type: 'spki' }),
			() => createPublicKey({ key: material.der, format: 'der', type: 'pkcs1' }),
		]);
	if (!key || key.asymmetricKeyType !== 'rsa') {
		throw new KeyFormatError(`The server public key could not be read. ${PUBLIC_KEY_HELP}`);
	}
	return remember(publicKeyCache, text, key);
}
