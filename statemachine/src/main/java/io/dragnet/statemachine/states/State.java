package io.dragnet.statemachine.states;

import java.util.List;

/**
 * One state of an Amazon States Language definition (JSONPath query language), typed by its {@code Type}. Built by
 * {@link io.dragnet.statemachine.StateMachine#parse} from a definition it has already validated.
 */
public sealed interface State
        permits PassState, TaskState, ChoiceState, WaitState, SucceedState, FailState, MapState, ParallelState
{
    String name();

    /** The {@code Type} as written in the definition: Task, Pass, Choice… */
    String type();

    /** Every state this one can move to (Next, Choices, Default, Catch), for reachability. */
    List<String> targets();
}
