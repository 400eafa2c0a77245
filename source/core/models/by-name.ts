import type {Model} from '../job-definition.js';
import {dependentModel} from './dependent.js';
import {fixedModel} from './fixed.js';
import {independentModel} from './independent.js';
import type {ThreadModel} from './thread-model.js';

/** Each thread model's rules by the name the config uses (SPEC §1). */
export const threadModels: Record<Model, ThreadModel> = {
	dependent: dependentModel,
	independent: independentModel,
	fixed: fixedModel,
};
