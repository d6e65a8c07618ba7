/** The text of a payment's receipt message: `receiptText(1299, 'EUR')` is "You paid 12.99 EUR". */
export function receiptText(amountInMinorUnits: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const major = (amountInMinorUnits / 10 ** digits).toFixed(digits);
  return `You paid ${major} ${currency}`;
}
