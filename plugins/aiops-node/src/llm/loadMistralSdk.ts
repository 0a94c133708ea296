/** The part of `@mistralai/mistralai` the provider uses. */
export type MistralSdk = typeof import('@mistralai/mistralai');

/** How the SDK was loaded: natively, or through jest's module registry (see below). */
export type SdkLoadPath = 'import' | 'jest-require';

/**
 * Loads the Mistral SDK from the CommonJS backend with a dynamic `import()`, which loads an ES
 * module as well as a CommonJS one: the SDK's 2.x line is ESM-only (1.15 still ships CommonJS;
 * nothing here depends on that). Both backstage-cli's node transform (`package start`) and its build keep
 * `import()` as it is, so Node loads the package natively, ES module or not.
 *
 * Jest is the exception: it runs each test file in a `vm` context that cannot load ES modules
 * without `--experimental-vm-modules`, so `import()` rejects with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG — and so does `new Function('s', 'return
 * import(s)')`, tried too. Only there is the package required instead, through jest's registry,
 * which transpiles ES modules and keeps the test's globals (msw intercepts the SDK's `fetch`).
 * Any other failure is thrown as it is.
 */
export async function loadMistralSdk(): Promise<{
  sdk: MistralSdk;
  loadedBy: SdkLoadPath;
}> {
  try {
    return { sdk: await import('@mistralai/mistralai'), loadedBy: 'import' };
  } catch (error) {
    if (
      !String((error as { code?: unknown }).code).startsWith(
        'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING',
      )
    ) {
      throw error;
    }
    return {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      sdk: require('@mistralai/mistralai') as MistralSdk,
      loadedBy: 'jest-require',
    };
  }
}
