/**
 * Bad input before anything reaches Revenue Monster: amounts that are not whole cents of at least 10,
 * private keys pasted in every shape (the good ones must work, the broken ones must say what is
 * wrong without echoing the key), and credentials meant for another environment. The real node runs
 * in n8n's engine with "On Error → Continue (using error output)": every item comes out, nothing is
 * sent for a refused item, no secret shows.
 */
import { createPrivateKey, generateKeyPairSync } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { SIMULATOR_KEYS } from '../../simulator/keys';
import { keySecret, textSecret } from '../../support/reliability';
import { chargeCounts, chargeItems, chargeParameters, measured, refundParameters } from '../../support/fault-runs';
import { seedPayment } from '../../support/seed';
import { recordAndAssert, useFaultSuite } from '../helpers/suite';

const suite = useFaultSuite('inputs');
const { runCase, newCredentials: credentials } = suite;

/** /v3 calls the simulator received since `from` (its log index). */
function apiCallsSince(from: number): number {
	return suite.simulator.log.slice(from).filter((entry) => entry.path.startsWith('/v3')).length;
}

describe('amounts', () => {
	const bad: Array<[string, unknown]> = [
		['decimal number', 12.5],
		['decimal string', '12.50'],
		['negative', -100],
		['negative string', '-100'],
		['below the minimum', 9],
		['zero', 0],
		['non-numeric', 'abc'],
		['currency text', 'RM10'],
		['exponent', '1e3'],
		['empty', ''],
		['boolean', true],
	];

	it.each([
		['Order → Create (charge a card)', 'charge'],
		['Transaction → Refund', 'refund'],
	])('%s refuses every bad amount before sending, and charges the good ones', async (operation, kind) => {
		const good = [10, 1000, '2500'];
		const amounts = [...bad.map(([, value]) => value), ...good];
		let items: IDataObject[];
		let parameters: IDataObject;
		if (kind === 'charge') {
			items = chargeItems(suite.simulator, amounts.length).map((item, index) => ({ ...item, amount: amounts[index] as IDataObject['x'] }));
			parameters = chargeParameters();
		} else {
			items = amounts.map((amount) => {
				const paid = seedPayment(suite.simulator, { title: 'Refund me', amount: 5000 });
				return { transactionId: paid.transactionId, amount: amount as IDataObject['x'] };
			});
			parameters = refundParameters('fault suite', { amount: '={{ $json.amount }}' });
		}
		const logStart = suite.simulator.log.length;
		const outcome = await runCase({ credentials: credentials(), parameters, items });
		const sent = suite.simulator.log
			.slice(logStart)
			.filter((entry) => entry.method === 'POST' && entry.path.startsWith('/v3')).length;

		// Each refused item's error names the field, the item and the value it got.
		const named = bad.every(([, value], index) => {
			const message = outcome.errors.get(index)?.message ?? '';
			return message.includes('Amount') && message.includes(`item ${index}`) && message.includes(JSON.stringify(value));
		});
		const counts = kind === 'charge' ? chargeCounts(suite.simulator, items) : [];
		const refused = [...outcome.errors.keys()].sort((a, b) => a - b);
		recordAndAssert(
			suite.log,
			{
				area: 'Input',
				fault: `Bad amounts, ${operation} (${bad.map(([name]) => name).join(', ')})`,
				expected: 'each refused before any request, error naming field, item and value; good items go on',
				observed: `${outcome.errors.size}/${bad.length} refused ${named ? 'with field, item and value named' : 'WITHOUT naming field/item/value'}; ${sent} POSTs for the ${good.length} good items; e.g. "${outcome.errors.get(0)?.message}"`,
				...measured(outcome, counts),
			},
			{
				'exactly the bad items refused': JSON.stringify(refused) === JSON.stringify(bad.map((_, index) => index)),
				'each error names field, item and value': named,
				'one POST per good item': sent === good.length,
				'every good item went through': outcome.items.succeeded.length === good.length,
			},
		);
	});
});

describe('private keys as users paste them', () => {
	const pem = SIMULATOR_KEYS.merchantPrivateKey;
	const base64Of = (text: string) => text.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
	const pkcs8 = createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
	const working: Array<[string, string]> = [
		['PKCS#1 PEM (as the RM portal generates it)', pem],
		['PEM with literal "\\n" instead of line breaks', pem.trim().replace(/\n/g, '\\n')],
		['bare base64, no PEM armour', base64Of(pem)],
		['PKCS#8 PEM', pkcs8],
		['PKCS#8 bare base64', base64Of(pkcs8)],
		['PEM with Windows line endings', pem.replace(/\n/g, '\r\n')],
		['PEM in quotes with spaces around', `  "${pem.trim()}"  `],
	];

	it.each(working)('%s signs requests RM accepts', async (shape, privateKey) => {
		const logStart = suite.simulator.log.length;
		const outcome = await runCase({
			credentials: credentials({ privateKey }),
			parameters: { resource: 'customer', operation: 'get', customerId: '={{ $json.customerId }}' },
			items: chargeItems(suite.simulator, 3).map(({ customerId }) => ({ customerId })),
			extraSecrets: [keySecret('private key as pasted', privateKey)],
		});
		const verified = suite.simulator.log.slice(logStart).filter((entry) => entry.signatureValid === true).length;
		recordAndAssert(
			suite.log,
			{
				area: 'Credentials',
				fault: `Private key: ${shape}`,
				expected: 'accepted; every request signed correctly',
				observed: `${outcome.items.succeeded.length}/3 items read; ${verified} signatures verified by the simulator`,
				...measured(outcome),
			},
			{ 'every item read': outcome.items.succeeded.length === 3, 'every signature verified': verified === 3 },
		);
	});

	const { privateKey: otherKey, publicKey: otherPublic } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	const encrypted = createPrivateKey(pem)
		.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'fault-suite' })
		.toString();
	const broken: Array<[string, string, RegExp, 'nothing sent' | 'refused by RM']> = [
		['garbage text', 'this-is-not-a-private-key-but-might-be-a-secret-3f9a1c', /private key could not be read/, 'nothing sent'],
		['PEM cut in half', pem.slice(0, Math.floor(pem.length / 2)), /private key could not be read/, 'nothing sent'],
		['a public key in the private key field', SIMULATOR_KEYS.merchantPublicKey, /holds a public key/, 'nothing sent'],
		['passphrase-protected PEM', encrypted, /private key could not be read/, 'nothing sent'],
		['an EC key, not RSA', ecKey, /not an RSA key|could not be read/, 'nothing sent'],
		[
			'a valid RSA key that is not the one uploaded to RM',
			otherKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
			/does not match the public key|INVALID_REQUEST_SIGNATURE/,
			'refused by RM',
		],
	];

	it.each(broken)('%s: clear error, key not echoed, nothing lost', async (shape, privateKey, message, expectation) => {
		const logStart = suite.simulator.log.length;
		const outcome = await runCase({
			credentials: credentials({ privateKey }),
			parameters: { resource: 'customer', operation: 'get', customerId: '={{ $json.customerId }}' },
			items: chargeItems(suite.simulator, 3).map(({ customerId }) => ({ customerId })),
			extraSecrets: [keySecret('private key as pasted', privateKey), textSecret('text pasted as key', privateKey.slice(0, 48))],
		});
		const errors = [...outcome.errors.values()];
		const calls = apiCallsSince(logStart);
		recordAndAssert(
			suite.log,
			{
				area: 'Credentials',
				fault: `Private key: ${shape}`,
				expected: `error saying what is wrong with the key; ${expectation}; key never echoed`,
				observed: `${errors.length}/3 items on the error output: "${errors[0]?.message.slice(0, 90)}…"; ${calls} API calls`,
				...measured(outcome),
			},
			{
				'every item on the error output': errors.length === 3,
				'each error says what is wrong': errors.every((error) => message.test(`${error.message} ${error.description}`)),
				[expectation]: expectation === 'nothing sent' ? calls === 0 : calls > 0,
			},
		);
		void otherPublic;
	});
});

describe('credentials for another environment', () => {
	it('a production Client ID and secret against the sandbox: the error says to check the environment', async () => {
		const items = chargeItems(suite.simulator, 3);
		const productionSecret = 'prod-secret-8c1f0e7a-must-not-leak';
		const logStart = suite.simulator.log.length;
		const outcome = await runCase({
			credentials: credentials({ clientId: 'prod-client-4118165203679668885', clientSecret: productionSecret }),
			parameters: chargeParameters(),
			items,
		});
		const counts = chargeCounts(suite.simulator, items);
		const errors = [...outcome.errors.values()];
		recordAndAssert(
			suite.log,
			{
				area: 'Credentials',
				fault: 'Wrong environment: Client ID and secret issued for production, used against sandbox',
				expected: 'no charge; error names the credential and the environment; secret not echoed',
				observed: `${errors.length}/3 on the error output: "${errors[0]?.message}"; ${apiCallsSince(logStart)} API calls, 0 charges`,
				...measured(outcome, counts),
			},
			{
				'every item on the error output': errors.length === 3,
				'each error names the environment': errors.every((error) => /environment/.test(error.message)),
				'nothing charged': counts.every((count) => count.charges === 0),
			},
		);
	});

	it('a custom environment whose hosts lack http(s)://: clear error, nothing sent', async () => {
		const outcome = await runCase({
			credentials: credentials({ apiBaseUrl: 'open.revenuemonster.my', oauthBaseUrl: 'oauth.revenuemonster.my' }),
			parameters: { resource: 'customer', operation: 'get', customerId: '1' },
			items: [{}, {}],
		});
		const errors = [...outcome.errors.values()];
		recordAndAssert(
			suite.log,
			{
				area: 'Credentials',
				fault: 'Custom environment with hosts missing http(s)://',
				expected: 'error naming the field and the expected form; nothing sent',
				observed: `${errors.length}/2 on the error output: "${errors[0]?.message}"`,
				...measured(outcome),
			},
			{
				'every item on the error output': errors.length === 2,
				'each error names the field and the form': errors.every((error) => /Base URL|http/.test(error.message)),
			},
		);
	});
});
