// NLP.js ships JavaScript without types; these are the few members this service calls.
declare module '@nlpjs/neural' {
  export interface NeuralSettings {
    iterations?: number;
    errorThresh?: number;
    deltaErrorThresh?: number;
    learningRate?: number;
    momentum?: number;
    alpha?: number;
    log?: boolean;
  }
  export interface TrainingPair {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  export class NeuralNetwork {
    constructor(settings?: NeuralSettings);
    train(corpus: TrainingPair[]): { iterations: number; error: number };
    run(input: Record<string, number>): Record<string, number> | undefined;
  }
}

declare module '@nlpjs/lang-en' {
  export class StemmerEn {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-ar' {
  export class StemmerAr {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-es' {
  export class StemmerEs {
    stem(tokens: string[]): string[];
  }
}
declare module '@nlpjs/lang-fr' {
  export class StemmerFr {
    stem(tokens: string[]): string[];
  }
}
