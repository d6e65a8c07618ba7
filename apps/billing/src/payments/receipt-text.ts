/** Decimal places of each currency's minor unit, looked up once per currency (Intl is costly). */
const fractionDigits = new Map<string, number>();

function digitsOf(currency: string): number {
  let digits = fractionDigits.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    fractionDigits.set(currency, digits);
  }
  return digits;
}

/** The text of a payment's receipt message: `receiptText(1299, 'EUR')` is "You paid 12.99 EUR". */
export function receiptText(amountInMinorUnits: number, currency: string): string {
  const digits = digitsOf(currency);
  const major = (amountInMinorUnits / 10 ** digits).toFixed(digits);
  return `You paid ${major} ${currency}`;
}
