/** Digits after the decimal point of a currency (2 for AED, 3 for KWD, 0 for JPY), from ICU. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** "12.5" AED → 1250; null when it is not an amount. */
export function toMinor(amount: string, currency: string): number | null {
  const trimmed = amount.trim();
  if (!/^\d+([.,]\d+)?$/.test(trimmed)) return null;
  return Math.round(Number(trimmed.replace(',', '.')) * 10 ** minorDigits(currency));
}

export function fromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

export function formatPrice(minor: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      minor / 10 ** minorDigits(currency),
    );
  } catch {
    return `${fromMinor(minor, currency)} ${currency}`;
  }
}
