// Types of list-search.js for the unit tests (the pages themselves are plain JavaScript, no build step).

export declare function matchesTyped(entry: { number: string; words: string }, typed: string): boolean;
