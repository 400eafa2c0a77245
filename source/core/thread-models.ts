import type {Model} from './job-definition.js';
import {dependentModel} from './models/dependent.js';
import {fixedModel} from './models/fixed.js';
import {independentModel} from './models/independent.js';
import type {ThreadModel} from './models/thread-model.js';

export const threadModels: Record<Model, ThreadModel> = {
	dependent: dependentModel,
	independent: independentModel,
	fixed: fixedModel,
};
