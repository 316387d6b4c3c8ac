// The caller data an IVR flow gathered, as the agent's screen pop lists it: each key with its value, the
// caller's language (`setLanguage`) by name, so the agent knows at a glance to answer in Spanish.

const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** `es` → "Spanish (es)", `es_MX` → "Mexican Spanish (es_MX)"; a value that is no language code as it is. */
export function languageText(code, locale = 'en') {
  if (typeof code !== 'string' || !LANGUAGE_CODE.test(code)) return String(code);
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code.replace('_', '-'));
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** The rows of the screen pop's caller data: `{ label, value }`, the language first. */
export function callerDataRows(data) {
  const entries = Object.entries(data ?? {});
  const language = entries.find(([key]) => key === 'language');
  return [
    ...(language ? [{ label: 'Language', value: languageText(language[1]) }] : []),
    ...entries
      .filter(([key]) => key !== 'language')
      .map(([key, value]) => ({
        label: key,
        value: typeof value === 'string' ? value : JSON.stringify(value),
      })),
  ];
}
