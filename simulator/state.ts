/** The simulator's in-memory Revenue Monster: merchant, stores, customers, checkouts, transactions. */
import { DEFAULT_ORDERS_LIST, type OrdersListShape } from './orders-list';

export type Json = Record<string, unknown>;

export interface Store extends Json {
	id: string;
	name: string;
	status: string;
}

export interface Customer extends Json {
	id: string;
	kind: 'recurring' | 'tokenized';
	isActive: boolean;
	/** a card has been bound through paymentUrl */
	bound: boolean;
	storeId: string;
	email: string;
	name: string;
	countryCode: string;
	phoneNumber: string;
	productName: string;
	productDescription: string;
	redirectUrl: string;
	notifyUrl: string;
	paymentUrl: string;
	label: string;
	recurringPayment?: Json;
	createdAt: string;
	updatedAt: string;
}

export interface CustomerOrder extends Json {
	id: string;
	customerId: string;
	/** RM's page lists SUCCESS and FAILED; a charge still being processed shows IN_PROCESS here too */
	status: 'SUCCESS' | 'FAILED' | 'IN_PROCESS';
	amount: number;
	currency: string;
	transactionId: string;
	checkoutId: string;
	paymentUrl: string;
	recurringReference: string;
	createdAt: string;
	updatedAt: string;
}

export interface Transaction extends Json {
	transactionId: string;
	referenceId: string;
	/** "Online Payment" page, Notify Response: data.order.currencyType is required */
	order: { id: string; title: string; detail: string; additionalData: string; currencyType: string; amount: number };
	currencyType: string;
	balanceAmount: number;
	finalAmount: number;
	platform: string;
	type: string;
	method: string;
	region: string;
	status: string;
	source: string;
	error?: { message: string };
	payee: { userId: string };
	store: Json;
	extraInfo: Json;
	transactionAt: string;
	createdAt: string;
	updatedAt: string;
}

export interface Checkout extends Json {
	id: string;
	type: string;
	transactionId: string;
	order: Json;
	platform: string;
	method: string[];
	redirectUrl: string;
	notifyUrl: string;
	startAt: string;
	status: string;
	customer: Json;
	/** "GoBiz w/ Card": the card sent, masked, until the customer completes the payment at the url */
	pendingCard?: { isSave: boolean; name: string; label: string; lastFourNo: string; month: number; year: number };
	createdAt: string;
	updatedAt: string;
}

export interface CardToken extends Json {
	id: string;
	label: string;
	provider: string;
	token: string;
	country: string;
	createdAt: string;
	updatedAt: string;
	card: Json;
}

export interface FpxBank extends Json {
	code: string;
	isOnline: boolean;
	name: string;
}

export const UNPAID_AT = '0001-01-01T00:00:00Z';

export class SimulatorState {
	merchant: Json = {
		id: '4118165203679668885',
		companyName: 'Simulated Merchant Sdn Bhd',
		companyType: 'SDN_BHD',
		countryCode: '60',
		phoneNumber: '0123456789',
		status: 'ACTIVE',
	};

	stores: Store[] = [
		{ id: '10946114768247530', name: 'Main Street Store', status: 'ACTIVE' },
		{ id: '10946114768247531', name: 'Online Store', status: 'ACTIVE' },
		{ id: '10946114768247532', name: 'Old Kiosk', status: 'INACTIVE' },
	];

	fpxBanks: FpxBank[] = [
		{ code: 'TEST0021', name: 'SBI Bank A (test)', isOnline: true },
		{ code: 'ABB0233:B2C', name: 'Affin Bank', isOnline: true },
		{ code: 'MB2U0227:B2C', name: 'Maybank2u', isOnline: true },
		{ code: 'BCBB0235:B2C', name: 'CIMB Clicks', isOnline: false },
	];

	customers = new Map<string, Customer>();
	customerOrders: CustomerOrder[] = [];
	/** how GET /v3/customer/{id}/orders answers: container, entry shape, order (orders-list.ts) */
	ordersList: OrdersListShape = { ...DEFAULT_ORDERS_LIST };
	checkouts = new Map<string, Checkout>();
	transactions: Transaction[] = [];
	/** card tokens by checkout customer userId */
	cardTokens = new Map<string, CardToken[]>();
	usedOrderIds = new Set<string>();

	private sequence = 1_700_000_000_000_000_000n;

	nextId(): string {
		this.sequence += 7n;
		return this.sequence.toString();
	}

	now(): string {
		return new Date().toISOString();
	}

	storeById(id: unknown): Store | undefined {
		return this.stores.find((store) => store.id === id);
	}

	transactionById(id: string): Transaction | undefined {
		return this.transactions.find((transaction) => transaction.transactionId === id);
	}

	transactionByOrderId(orderId: string): Transaction | undefined {
		return this.transactions.find((transaction) => transaction.order.id === orderId);
	}

	addTransaction(fields: {
		orderId: string;
		title: string;
		detail?: string;
		additionalData?: string;
		amount: number;
		currency: string;
		type: string;
		method: string;
		source: string;
		storeId: string;
		status: string;
		errorMessage?: string;
		userId?: string;
		extraInfo?: Json;
	}): Transaction {
		const now = this.now();
		const store = this.storeById(fields.storeId) ?? this.stores[0];
		const transaction: Transaction = {
			transactionId: this.nextId(),
			referenceId: this.nextId(),
			order: {
				id: fields.orderId,
				title: fields.title,
				detail: fields.detail ?? '',
				additionalData: fields.additionalData ?? '',
				currencyType: fields.currency,
				amount: fields.amount,
			},
			currencyType: fields.currency,
			balanceAmount: fields.status === 'SUCCESS' ? fields.amount : 0,
			finalAmount: fields.amount,
			platform: 'OPEN_API',
			type: fields.type,
			method: fields.method,
			region: 'MALAYSIA',
			status: fields.status,
			source: fields.source,
			...(fields.errorMessage ? { error: { message: fields.errorMessage } } : {}),
			payee: { userId: fields.userId ?? '' },
			store: { id: store.id, name: store.name },
			extraInfo: fields.extraInfo ?? {},
			transactionAt: fields.status === 'SUCCESS' ? now : UNPAID_AT,
			createdAt: now,
			updatedAt: now,
		};
		this.transactions.push(transaction);
		this.usedOrderIds.add(fields.orderId);
		return transaction;
	}

	/** Keeps a card for a checkout customer, as GoBiz does when `card.isSave` was true. */
	saveCardToken(userId: string, card: NonNullable<Checkout['pendingCard']>): CardToken {
		const now = this.now();
		const token: CardToken = {
			id: this.nextId(),
			label: card.label,
			provider: 'GOBIZ',
			token: `tok_${this.nextId()}`,
			country: 'MY',
			createdAt: now,
			updatedAt: now,
			card: { name: card.name, method: 'VISA', lastFourNo: card.lastFourNo, expMonth: card.month, expYear: card.year },
		};
		this.cardTokens.set(userId, [...(this.cardTokens.get(userId) ?? []), token]);
		return token;
	}
}
