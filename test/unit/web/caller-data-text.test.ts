import { describe, expect, it } from 'vitest';
import { callerDataRows, languageText } from '../../../src/web/common/caller-data-text.js';

describe("the screen pop's caller data", () => {
  it('names the caller language a flow set, first; other keys as they are', () => {
    expect(callerDataRows({ vip: true, customerName: 'Ada', language: 'es', accountId: null })).toEqual([
      { label: 'Language', value: 'Spanish (es)' },
      { label: 'vip', value: 'true' },
      { label: 'customerName', value: 'Ada' },
      { label: 'accountId', value: 'null' },
    ]);
    expect(callerDataRows(undefined)).toEqual([]);
  });

  it('names a regional language, and leaves a value that is no language code as it is', () => {
    expect(languageText('es_MX')).toBe('Mexican Spanish (es_MX)');
    expect(languageText('en')).toBe('English (en)');
    expect(languageText('Spanish')).toBe('Spanish');
    expect(languageText(3)).toBe('3');
  });
});
