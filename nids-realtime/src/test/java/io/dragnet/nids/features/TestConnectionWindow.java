package io.dragnet.nids.features;

import io.dragnet.nids.data.SensorSession;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static io.dragnet.nids.data.Sessions.session;
import static org.assertj.core.api.Assertions.assertThat;

class TestConnectionWindow
{
    private static final SensorSession S1 = session("s1", "10.0.0.1", 1, "10.0.0.9", 80, "http");
    private static final SensorSession S2 = session("s2", "10.0.0.1", 2, "10.0.0.8", 80, "http");
    private static final SensorSession S3 = session("s3", "10.0.0.2", 1, "10.0.0.9", 53, "dns");
    private static final SensorSession S4 = session("s4", "10.0.0.1", 3, "10.0.0.9", 80, "http");

    @Test
    void countsIncludeTheConnectionItselfAndThoseStillInTheWindow()
    {
        ConnectionWindow window = new ConnectionWindow(3);
        ConnectionFeatures first = window.observe(S1);
        assertThat(first).isEqualTo(new ConnectionFeatures(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0));
        window.observe(S2);
        // window s1 s2 s3: destination 10.0.0.9 seen by s1 and s3, and both from source port 1
        ConnectionFeatures third = window.observe(S3);
        assertThat(third).isEqualTo(new ConnectionFeatures(1, 1, 2, 1, 1, 2, 1, 0, 0, 0, 0));
        // window s2 s3 s4 (s1 evicted): http from 10.0.0.1 twice, http to 10.0.0.9 once, 10.0.0.9 twice,
        // 10.0.0.1 twice, 10.0.0.1 to port 80 twice, 10.0.0.9 from port 3 once, 10.0.0.1 → 10.0.0.9 once
        ConnectionFeatures fourth = window.observe(S4);
        assertThat(fourth).isEqualTo(new ConnectionFeatures(2, 1, 2, 2, 2, 1, 1, 0, 0, 0, 0));
        assertThat(window.connections()).isEqualTo(3);
    }

    @Test
    void defaultWindowHoldsTheLastHundredConnections()
    {
        ConnectionWindow window = new ConnectionWindow();
        for (int i = 0; i < 150; i++) {
            assertThat(window.observe(session("a" + i, "10.0.0.1", 1000 + i, "10.0.0.2", 443, "ssl")).ctSrcLtm()).isEqualTo(Math.min(i + 1, 100));
        }
        assertThat(window.observe(session("b", "10.0.0.3", 1, "10.0.0.2", 443, "ssl")).ctDstLtm()).isEqualTo(100);
    }

    @Test
    void contentAndStateFeaturesComeFromTheSession()
    {
        double[] measures = new double[SensorSession.MEASURES.size()];
        measures[SensorSession.STTL] = 62;
        measures[SensorSession.DTTL] = 252;
        measures[SensorSession.HTTP_METHODS] = 2;
        measures[SensorSession.FTP_LOGIN] = 1;
        measures[SensorSession.FTP_COMMANDS] = 3;
        SensorSession session = new SensorSession("x", "1.1.1.1", 1, "2.2.2.2", 21, "tcp", "ftp", "FIN", 0, 0, measures);
        ConnectionFeatures features = new ConnectionWindow().observe(session);
        assertThat(features.ctStateTtl()).isEqualTo(1);
        assertThat(features.ctFlwHttpMthd()).isEqualTo(2);
        assertThat(features.isFtpLogin()).isEqualTo(1);
        assertThat(features.ctFtpCmd()).isEqualTo(3);
    }

    @Test
    void stateTtlClassesFollowTheDatasetTable()
    {
        assertThat(ConnectionFeatures.stateTtl("INT", 254, 0)).isEqualTo(2);
        assertThat(ConnectionFeatures.stateTtl("FIN", 254, 252)).isEqualTo(1);
        assertThat(ConnectionFeatures.stateTtl("FIN", 31, 29)).isEqualTo(0);
        assertThat(ConnectionFeatures.stateTtl("CON", 62, 252)).isEqualTo(3);
        assertThat(ConnectionFeatures.stateTtl("REQ", 254, 0)).isEqualTo(6);
        assertThat(ConnectionFeatures.stateTtl("REQ", 1, 0)).isEqualTo(0);
    }

    @Test
    void aRestoredWindowContinuesExactlyWhereItStopped()
            throws Exception
    {
        ConnectionWindow original = new ConnectionWindow(3);
        original.observe(S1);
        original.observe(S2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        ConnectionWindow restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (ConnectionWindow) in.readObject();
        }
        assertThat(restored.observe(S3)).isEqualTo(original.observe(S3));
        assertThat(restored.observe(S4)).isEqualTo(original.observe(S4));
    }

    @Test
    void aWindowKeptInSparkStateSurvivesKryo()
    {
        // the micro-batch job keeps windows in Spark state, written with Spark's Kryo (which cannot write records)
        ConnectionWindow original = new ConnectionWindow(3);
        original.observe(S1);
        original.observe(S2);
        SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
        ClassTag<ConnectionWindow> tag = ClassTag$.MODULE$.apply(ConnectionWindow.class);

        ConnectionWindow restored = kryo.deserialize(kryo.serialize(original, tag), tag);

        assertThat(restored.observe(S3)).isEqualTo(original.observe(S3));
        assertThat(restored.observe(S4)).isEqualTo(original.observe(S4));
    }

    @Test
    void countsEqualACountOverTheLastConnectionsForMixedAddressesAndPorts()
    {
        // the window counts by ids and packed keys; a naive count over the last 100 sessions is the reference
        Random random = new Random(11);
        String[] addresses = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "fe80::1", "fe80::2", "2001:db8::7", "192.168.1.200"};
        String[] services = {"-", "http", "dns", "ftp"};
        int[] ports = {0, 53, 80, 65535, 40000, 40001};
        List<SensorSession> seen = new ArrayList<>();
        ConnectionWindow window = new ConnectionWindow();
        for (int i = 0; i < 5_000; i++) {
            SensorSession session = session("s" + i, addresses[random.nextInt(addresses.length)], ports[random.nextInt(ports.length)],
                    addresses[random.nextInt(addresses.length)], ports[random.nextInt(ports.length)], services[random.nextInt(services.length)]);
            seen.add(session);
            List<SensorSession> last = seen.subList(Math.max(0, seen.size() - ConnectionWindow.DEFAULT_SIZE), seen.size());

            ConnectionFeatures features = window.observe(session);

            assertThat(features.ctSrvSrc()).isEqualTo(count(last, s -> s.service().equals(session.service()) && s.srcIp().equals(session.srcIp())));
            assertThat(features.ctSrvDst()).isEqualTo(count(last, s -> s.service().equals(session.service()) && s.dstIp().equals(session.dstIp())));
            assertThat(features.ctDstLtm()).isEqualTo(count(last, s -> s.dstIp().equals(session.dstIp())));
            assertThat(features.ctSrcLtm()).isEqualTo(count(last, s -> s.srcIp().equals(session.srcIp())));
            assertThat(features.ctSrcDportLtm()).isEqualTo(count(last, s -> s.srcIp().equals(session.srcIp()) && s.dstPort() == session.dstPort()));
            assertThat(features.ctDstSportLtm()).isEqualTo(count(last, s -> s.dstIp().equals(session.dstIp()) && s.srcPort() == session.srcPort()));
            assertThat(features.ctDstSrcLtm()).isEqualTo(count(last, s -> s.srcIp().equals(session.srcIp()) && s.dstIp().equals(session.dstIp())));
        }
    }

    private static int count(List<SensorSession> sessions, Predicate<SensorSession> matches)
    {
        return (int) sessions.stream().filter(matches).count();
    }
}
