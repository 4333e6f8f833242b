/** An error the simulator answers with RM's body: `{"error":{"code","message","debug"?}}`. */
export class RmError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly debug?: unknown,
	) {
		super(message);
	}
}
