// What the code under test reads of a browser, for Node's test runner: sessionStorage, location and
// fetch, each recording what it was given. An answer with a `status` is sent with that status.

export const storage = new Map<string, string>();
export const visits: string[] = [];
export const requests: { url: string; init: RequestInit | undefined }[] = [];
export let answers: unknown[] = [];

export function reset(...next: unknown[]): void {
  storage.clear();
  visits.length = 0;
  requests.length = 0;
  answers = next;
}

Object.assign(globalThis, {
  sessionStorage: {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
    removeItem: (key: string) => void storage.delete(key),
  },
  location: {
    origin: "https://d111.cloudfront.net",
    assign: (url: string) => void visits.push(url),
  },
  fetch: async (url: string, init?: RequestInit) => {
    requests.push({ url, init });
    const answer = (answers.shift() ?? {}) as { status?: number };
    return new Response(JSON.stringify(answer), { status: answer.status ?? 200 });
  },
});
