package dev.parley.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.ScramTestClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The SCRAM-SHA-256 arithmetic and message rules, against RFC 7677's example exchange. */
class ScramTest {
    // RFC 7677 section 3: user "user", password "pencil"
    private static final String CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static Scram.Verifier pencil() {
        return Scram.derive("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
    }

    @Test
    void theServerSideOfRfc7677sExampleGivesItsMessages() throws Exception {
        ScramServer.ClientFirst first = ScramServer.parseClientFirst(CLIENT_FIRST);
        assertThat(first.username()).isEqualTo("user");
        ScramServer server = new ScramServer(first, pencil(), SERVER_NONCE);
        assertThat(server.serverFirst()).isEqualTo(SERVER_FIRST);
        assertThat(server.clientFinal(CLIENT_FINAL)).isEqualTo(SERVER_FINAL);
    }

    @Test
    void theTestClientReproducesRfc7677sExampleToo() throws Exception {
        ScramTestClient client = new ScramTestClient("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertThat(client.clientFirst()).isEqualTo(CLIENT_FIRST);
        assertThat(client.clientFinal(SERVER_FIRST)).isEqualTo(CLIENT_FINAL);
        assertThat(client.serverFinalValid(SERVER_FINAL)).isTrue();
    }

    @Test
    void aWrongProofIsRefused() throws Exception {
        ScramServer server = new ScramServer(ScramServer.parseClientFirst(CLIENT_FIRST), pencil(), SERVER_NONCE);
        ScramTestClient wrong = new ScramTestClient("user", "pencils", "rOprNGfwEbeRWgbNEkqO");
        wrong.clientFirst();
        assertThat(server.clientFinal(wrong.clientFinal(SERVER_FIRST))).isNull();
    }

    @Test
    void theVerifierIsStoredInRfc5803FormWithoutThePassword() {
        String text = pencil().encode();
        assertThat(text).startsWith("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$").doesNotContain("pencil");
        Scram.Verifier back = Scram.Verifier.decode(text);
        assertThat(back.storedKey()).isEqualTo(pencil().storedKey());
        assertThat(back.serverKey()).isEqualTo(pencil().serverKey());
        assertThat(Scram.Verifier.decode("SCRAM-SHA-256$100:c2FsdA==$AAAA:AAAA")).isNull();
    }

    @Test
    void channelBindingIsRefusedAndYOrNAccepted() throws Exception {
        assertThatThrownBy(() -> ScramServer.parseClientFirst("p=tls-unique,,n=user,r=abc"))
                .hasMessageContaining("channel binding is not supported");
        assertThat(ScramServer.parseClientFirst("y,,n=user,r=abc").gs2Header()).isEqualTo("y,,");
        assertThat(ScramServer.parseClientFirst("n,a=user,n=user,r=abc").username()).isEqualTo("user");
        assertThatThrownBy(() -> ScramServer.parseClientFirst("n,a=other,n=user,r=abc"))
                .hasMessageContaining("authorization identity");
    }

    @Test
    void userNamesAreDecodedAndSaslPrepped() throws Exception {
        assertThat(ScramServer.parseClientFirst("n,,n=a=2Cb=3Dc,r=x").username()).isEqualTo("a,b=c");
        // a non-breaking space maps to a space; NFKC folds the ligature
        assertThat(ScramServer.parseClientFirst("n,,n=\u00a0\ufb01,r=x").username()).isEqualTo(" fi");
        assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=bad\u0007,r=x"))
                .hasMessageContaining("SASLprep");
        assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=a=41,r=x")).hasMessageContaining("escape");
        assertThatThrownBy(() -> ScramServer.parseClientFirst("n,,n=,r=x")).hasMessageContaining("empty");
    }

    @Test
    void aNonceOrBindingThatDiffersIsAnError() throws Exception {
        ScramServer server = new ScramServer(ScramServer.parseClientFirst(CLIENT_FIRST), pencil(), SERVER_NONCE);
        assertThatThrownBy(() -> server.clientFinal(CLIENT_FINAL.replace("k0,", "k1,")))
                .hasMessageContaining("nonce");
        String yHeader = Base64.getEncoder().encodeToString("y,,".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> server.clientFinal(CLIENT_FINAL.replace("c=biws", "c=" + yHeader)))
                .hasMessageContaining("channel binding");
    }
}
