// Types of evaluation-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).

interface EvaluationView {
  score: number;
  passed: boolean;
  passMark: number;
  criticalFailed: string[];
  answers: { id: string; text: string; kind: string; max?: number; answer: boolean | number | null }[];
  by?: { name: string };
  acknowledgedAt?: string;
  reply?: string | null;
  withdrawnAt?: string;
  withdrawnBy?: { name: string };
}
export declare function scoreText(e: EvaluationView): string;
export declare function answerText(q: {
  kind: string;
  max?: number;
  answer: boolean | number | null;
}): string;
export declare function evaluationStanding(e: EvaluationView): string;
export declare function evaluatorName(e: EvaluationView): string;
export declare function questionFiguresCells(q: {
  text: string;
  kind: string;
  max?: number;
  critical: boolean;
  asked: number;
  notApplicable: number;
  met?: number;
  averageMark?: number;
  percent: number | null;
  criticalFails: number;
}): string[];
export declare function formFiguresText(f: {
  formName: string;
  evaluations: number;
  averageScore: number;
  passed: number;
}): string;
