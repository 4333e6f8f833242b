/**
 * Notifications verified per second by the trigger's verification path (trigger/verify.ts:
 * header lookup, time window, RSA-SHA256 over the callback sign string with RM's server key), on
 * notifications signed the way the simulator signs them. Forged and stale ones are timed too:
 * a flood of junk must not cost more than real traffic.
 */
import type { IDataObject } from 'n8n-workflow';

import { verifyNotification, type ReceivedNotification } from '../../nodes/RevenueMonster/trigger/verify';
import { parsePrivateKey, parsePublicKey, signNotification, unixTimestamp } from '../../nodes/RevenueMonster/transport/signature';
import { SIMULATOR_KEYS } from '../../test/simulator/keys';
import { nowMs, round } from './measure';

export interface NotificationRate {
	kind: string;
	verifications: number;
	perSecond: number;
	accepted: number;
}

export interface NotificationResult {
	toleranceSeconds: number;
	rates: NotificationRate[];
}

function paymentNotification(index: number): IDataObject {
	return {
		eventType: 'PAYMENT_WEB_ONLINE',
		data: {
			transactionId: `17000000000${String(index).padStart(8, '0')}`,
			order: { id: `ORDER-${index}`, title: 'Bench & <notification>', amount: 1000 + index, detail: '', additionalData: '' },
			currencyType: 'MYR',
			finalAmount: 1000 + index,
			method: 'FPX',
			status: 'SUCCESS',
			type: 'WEB_PAYMENT',
			region: 'MALAYSIA',
			createdAt: new Date().toISOString(),
		},
	};
}

function rate(kind: string, notifications: ReceivedNotification[], minimumMs: number): NotificationRate {
	const publicKey = parsePublicKey(SIMULATOR_KEYS.serverPublicKey);
	let verifications = 0;
	let accepted = 0;
	const start = nowMs();
	while (nowMs() - start < minimumMs) {
		for (const notification of notifications) {
			if (verifyNotification(publicKey, notification, { toleranceSeconds: 300 }).valid) accepted++;
			verifications++;
		}
	}
	const seconds = (nowMs() - start) / 1000;
	return { kind, verifications, perSecond: round(verifications / seconds, 0), accepted };
}

export function measureNotifications(count = 500, minimumMs = 1500): NotificationResult {
	const serverKey = parsePrivateKey(SIMULATOR_KEYS.serverPrivateKey);
	const strangerKey = parsePrivateKey(SIMULATOR_KEYS.merchantPrivateKey);
	const signed = (key = serverKey, timestamp = unixTimestamp()) =>
		Array.from({ length: count }, (_, index) => {
			const { rawBody, headers } = signNotification(key, paymentNotification(index), 'post', undefined, timestamp);
			return { method: 'POST', rawBody: Buffer.from(rawBody), headers: { ...headers } } as ReceivedNotification;
		});
	const stale = unixTimestamp(Date.now() - 3_600_000);
	return {
		toleranceSeconds: 300,
		rates: [
			rate('valid (signed by RM’s server key)', signed(), minimumMs),
			rate('forged (signed by another key)', signed(strangerKey), minimumMs / 2),
			rate('stale (valid signature, an hour old)', signed(serverKey, stale), minimumMs / 4),
		],
	};
}
