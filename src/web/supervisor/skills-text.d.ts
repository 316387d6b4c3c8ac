// Types of skills-text.js for the unit tests (the page itself is plain JavaScript, no build step).

export declare function skillsFromText(
  text: string,
): { skills: Record<string, number> } | { problem: string };
export declare function skillsText(skills: Record<string, number>): string;
