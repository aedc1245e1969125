package io.dragnet.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestStepArguments
{
    private static final String USAGE = "Job --lake <uri> --day <YYYY-MM-DD>";

    @Test
    void readsBothForms()
    {
        String[] args = {"--lake", "s3://bucket/lake", "--day=2018-11-02"};
        assertThat(StepArguments.value(args, "--lake", USAGE)).isEqualTo("s3://bucket/lake");
        assertThat(StepArguments.value(args, "--day", USAGE)).isEqualTo("2018-11-02");
    }

    @Test
    void aMissingOptionOrValueNamesTheUsage()
    {
        assertThatThrownBy(() -> StepArguments.value(new String[] {"--lake", "x", "--day"}, "--day", USAGE))
                .isInstanceOf(DragnetException.class)
                .hasMessage("usage: Job --lake <uri> --day <YYYY-MM-DD> (missing --day)");
        assertThatThrownBy(() -> StepArguments.value(new String[] {"--lakes", "x"}, "--lake", USAGE))
                .hasMessageContaining("(missing --lake)");
    }
}
