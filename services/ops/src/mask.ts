/**
 * Ops output may be pasted into tickets and chats: phone numbers (guest wa_ids, also inside
 * subjects and dedupe keys) are masked like the services' logs do, 971501234567 → 9715****4567.
 * Any run of 7 or more digits is treated as one; Meta's wamids are base64 text, not digit runs.
 */
export function maskPhone(value: string): string {
  if (value.length < 10) return `${'*'.repeat(value.length - 2)}${value.slice(-2)}`;
  return `${value.slice(0, 4)}****${value.slice(-4)}`;
}

export function maskPhones(text: string): string {
  return text.replace(/\d{7,}/g, maskPhone);
}
