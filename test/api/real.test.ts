// The behaviour suite against the real kernel, with children this process owns.
import { defineBehaviour } from "./behaviour.js";
import { realWorld } from "./real_world.js";

defineBehaviour(realWorld);
