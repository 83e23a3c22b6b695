package io.jvs.sched.classic;

import static io.jvs.sched.classic.Sequences.added;
import static io.jvs.sched.classic.Sequences.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestServer;

class RoundRobinTest {
    private final TestServer a = new TestServer("A", 1);
    private final TestServer b = new TestServer("B", 1);
    private final TestServer c = new TestServer("C", 1);
    private final TestServer d = new TestServer("D", 1);
    private final ServiceScheduler rr = new RoundRobin().create(new TestContext());

    @Test
    void walksTheListFromTheHeadNewestFirst() {
        rr.update(added(c, b, a));                 // ipvsadm -a C, then B, then A: list A B C
        expect("A B C A B C A", rr);
    }

    @Test
    void additionGoesToTheHeadAndTheCursorStays() {
        rr.update(added(c, b, a));
        expect("A B C A", rr);                     // cursor on A
        rr.update(List.of(d, a, b, c));            // D added at the head
        expect("B C D A B", rr);
    }

    @Test
    void deletingTheCursorsDestinationContinuesWithItsSuccessor() {
        rr.update(List.of(d, a, b, c));
        expect("D A", rr);                         // cursor on A
        rr.update(List.of(d, b, c));               // A deleted: cursor steps back to D
        expect("B C D", rr);                       // cursor on D, the head element
        rr.update(List.of(b, c));                  // D deleted: cursor back to the list head
        expect("B C B", rr);
    }

    @Test
    void skipsQuiescentAndOverloaded() {
        rr.update(added(c, b, a));
        b.weight = 0;
        rr.update(List.of(a, b, c));               // an edit
        expect("A C A C", rr);
        c.overloaded = true;
        expect("A A", rr);
        a.weight = 0;
        expect("- -", rr);
        a.weight = 1;
        expect("A", rr);
    }

    @Test
    void emptyServiceHasNoDestination() {
        expect("-", rr);
        rr.update(List.of());
        expect("-", rr);
    }

    @Test
    void failedScanLeavesTheCursor() {
        rr.update(added(c, b, a));
        expect("A B", rr);
        a.overloaded = true;
        b.overloaded = true;
        c.overloaded = true;
        expect("-", rr);
        a.overloaded = false;
        b.overloaded = false;
        c.overloaded = false;
        assertEquals("C", Sequences.run(rr, 1));
    }
}
