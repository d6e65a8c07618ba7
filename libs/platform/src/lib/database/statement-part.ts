/**
 * Part of a statement: its SQL text, and the values of the parameters that text names. Features
 * that must write together (a payment and its outbox rows) each give their part, and one of them
 * composes the statement: each feature keeps the text of every statement on its own tables.
 */
export interface StatementPart {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}
