import { expose } from 'comlink';
import { createParser } from './parser';

expose(createParser());
