/** The faults a test can ask the simulator for (RevenueMonsterSimulator.addFault). */
export type FaultKind =
	| 'tokenExpired'
	| 'rateLimit'
	| 'serverError'
	| 'errorIn200'
	| 'slow'
	| 'drop'
	| 'decline'
	| 'inProcess'
	| 'bareCode';

export interface Fault {
	kind: FaultKind;
	/** how many matching requests it hits; default 1 */
	times?: number;
	/** HTTP method to match, e.g. "POST" */
	method?: string;
	/** substring of the path to match, e.g. "/order" or "/v1/token" */
	path?: string;
	/** errorIn200 / bareCode: the code RM puts in the body */
	code?: string;
	/** errorIn200: the message RM puts in the body */
	message?: string;
	/** slow: milliseconds before answering (the request is processed first) */
	delayMs?: number;
	/**
	 * drop: process the request first, then cut the connection (default true).
	 * serverError: process the request first (the charge is made), then answer the error (default false).
	 */
	afterProcessing?: boolean;
	/** tokenExpired, serverError: the HTTP status to answer (default 401 and 500); e.g. 503 TOKEN_EXPIRED */
	status?: number;
	/** decline: RM's reason in item.error.message */
	reason?: string;
}
