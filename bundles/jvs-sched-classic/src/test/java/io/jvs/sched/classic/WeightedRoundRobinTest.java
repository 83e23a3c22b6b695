package io.jvs.sched.classic;

import static io.jvs.sched.classic.Sequences.expect;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jvs.api.sched.ServiceScheduler;
import io.jvs.testkit.sched.TestContext;
import io.jvs.testkit.sched.TestServer;

class WeightedRoundRobinTest {
    private final ServiceScheduler wrr = new WeightedRoundRobin().create(new TestContext());

    @Test
    void weights432GiveTheKernelSequence() {
        // gcd 1, mw 4: cw=4 A; cw=3 A B; cw=2 A B C; cw=1 A B C; then again.
        wrr.update(List.of(new TestServer("A", 4), new TestServer("B", 3), new TestServer("C", 2)));
        expect("A A B A B C A B C A A B A B C A B C", wrr);
    }

    @Test
    void weights42UseTheGcdStep() {
        // di 2, mw 4 - 1 = 3: cw=3 A; cw=1 A B.
        wrr.update(List.of(new TestServer("A", 4), new TestServer("B", 2)));
        expect("A A B A A B", wrr);
    }

    @Test
    void updateResetsTheCursorToTheHead() {
        final List<TestServer> list = List.of(new TestServer("A", 4), new TestServer("B", 3), new TestServer("C", 2));
        wrr.update(list);
        expect("A", wrr);                          // cw 4, cursor A
        wrr.update(list);                          // cursor to head, cw stays 4
        expect("A A B A B C A B C", wrr);
    }

    @Test
    void updateRealignsTheCurrentWeightToTheNewGcd() {
        final TestServer a = new TestServer("A", 6);
        final TestServer b = new TestServer("B", 3);
        wrr.update(List.of(a, b));                 // di 3, mw 4
        expect("A", wrr);                          // cw 4
        b.weight = 4;
        wrr.update(List.of(a, b));                 // di 2, mw 5, cw (4 / 2) * 2 + 1 = 5
        expect("A A B A B", wrr);                  // cw 5: A; cw 3: A B; cw 1: A B
    }

    @Test
    void newDestinationAtTheHeadJoinsTheRotation() {
        final TestServer a = new TestServer("A", 2);
        final TestServer b = new TestServer("B", 1);
        wrr.update(List.of(a, b));
        expect("A A B", wrr);                      // cw 2: A; cw 1: A B; cursor on B, cw 1
        final TestServer c = new TestServer("C", 2);
        wrr.update(List.of(c, a, b));              // cw 1 stays; cursor to head
        expect("C A B C A C A B", wrr);            // cw 1: C A B; cw 2: C A; cw 1: C A B
    }

    @Test
    void skipsOverloadedAndQuiescentAndGivesUpWhenAllAre() {
        final TestServer a = new TestServer("A", 2);
        final TestServer b = new TestServer("B", 1);
        wrr.update(List.of(a, b));
        a.overloaded = true;
        expect("B B", wrr);
        b.overloaded = true;
        expect("- -", wrr);
        a.overloaded = false;
        expect("A A", wrr);
        a.weight = 0;
        b.weight = 0;
        wrr.update(List.of(a, b));                 // mw 0: no destination available
        expect("-", wrr);
    }
}
