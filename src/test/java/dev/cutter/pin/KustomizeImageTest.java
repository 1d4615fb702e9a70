package dev.cutter.pin;

import static dev.cutter.pin.Golden.applyOneLine;
import static dev.cutter.pin.Golden.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class KustomizeImageTest {
    static final String SHA = "3df6c412059f29127715c3fdbaa5e3dc8e8e8e1c";
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    static final Pin CAA_TAG = new Pin.KustomizeImage("cloud-api-adaptor", Pin.Field.NEW_TAG);
    static final Pin CAA_DIGEST = new Pin.KustomizeImage("cloud-api-adaptor", Pin.Field.DIGEST);

    /** Modelled on src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml (unindented list). */
    static final String AWS = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            bases:
            - ../../yamls
            images:
            - name: cloud-api-adaptor
              newName: quay.io/confidential-containers/cloud-api-adaptor # change image if needed
              newTag: latest
            - name: peerpod-ctrl
              newName: quay.io/confidential-containers/peerpod-ctrl
              newTag: "1.10"
            generatorOptions:
              disableNameSuffixHash: true
            configMapGenerator:
            - name: peer-pods-cm
              namespace: confidential-containers-system
              literals:
              - CLOUD_PROVIDER="aws"
            """;

    /** Modelled on the azure overlay: indented list, the CAA entry without newTag, a flow entry. */
    static final String AZURE = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - ../../yamls
            images:
              - name: webhook
                newName: quay.io/confidential-containers/peer-pods-webhook
                newTag: v0.9.0
              - name: cloud-api-adaptor
                newName: quay.io/confidential-containers/cloud-api-adaptor # set by the release
              # the CSI wrapper follows the release too
              - {name: csi-wrapper, newName: quay.io/confidential-containers/csi-wrapper, newTag: v0.9.0}
            patches:
              - path: patch.yaml
            """;

    @Test
    void setsAnExistingNewTag() {
        PinEdit.Result result = applyOneLine(AWS, CAA_TAG, SHA, "  newTag: " + SHA);
        assertThat(result.previous()).isEqualTo("latest");
        assertThat(tree(result.text()).at("/images/0/newTag").asText()).isEqualTo(SHA);
    }

    @Test
    void keepsQuotesAndQuotesTagsThatReadAsNumbers() {
        Pin ctrl = new Pin.KustomizeImage("peerpod-ctrl", Pin.Field.NEW_TAG);
        applyOneLine(AWS, ctrl, "1.11", "  newTag: \"1.11\"");
        applyOneLine(AWS, CAA_TAG, "1234567", "  newTag: \"1234567\"");
        applyOneLine(AWS, CAA_TAG, "1.10", "  newTag: \"1.10\"");
        assertThat(tree(PinEdit.apply(AWS, CAA_TAG, "1234567").text()).at("/images/0/newTag").isTextual()).isTrue();
    }

    @Test
    void addsAMissingFieldAtTheEntrysIndentationAndRevertRemovesIt() {
        PinEdit.Result result = PinEdit.apply(AZURE, CAA_TAG, SHA);
        assertThat(result.previous()).isNull();
        assertThat(result.previousSource()).isNull();
        assertThat(result.text()).isEqualTo(AZURE.replace("# set by the release\n", "# set by the release\n    newTag: " + SHA + "\n"));
        JsonNode expected = tree(AZURE);
        ((ObjectNode) expected.at("/images/1")).put("newTag", SHA);
        assertThat(tree(result.text())).isEqualTo(expected);
        assertThat(PinEdit.apply(result.text(), CAA_TAG, SHA).changed()).isFalse();
        Golden.assertRevertsExactly(AZURE, result, CAA_TAG, SHA);

        PinEdit.Result digest = PinEdit.apply(AWS, CAA_DIGEST, DIGEST);
        assertThat(digest.text()).isEqualTo(AWS.replace("  newTag: latest\n", "  newTag: latest\n  digest: " + DIGEST + "\n"));
        Golden.assertRevertsExactly(AWS, digest, CAA_DIGEST, DIGEST);
    }

    @Test
    void addsToAFlowEntry() {
        Pin csi = new Pin.KustomizeImage("csi-wrapper", Pin.Field.DIGEST);
        PinEdit.Result result = PinEdit.apply(AZURE, csi, DIGEST);
        assertThat(result.text()).contains("newTag: v0.9.0, digest: \"" + DIGEST + "\"}\n"); // a flow scalar with : is quoted
        Golden.assertRevertsExactly(AZURE, result, csi, DIGEST);
        applyOneLine(AZURE, new Pin.KustomizeImage("csi-wrapper", Pin.Field.NEW_TAG), "v0.10.0",
                "  - {name: csi-wrapper, newName: quay.io/confidential-containers/csi-wrapper, newTag: v0.10.0}");
    }

    @Test
    void addsWithCrlfAndWithoutAFinalNewline() {
        String crlf = AZURE.replace("\n", "\r\n");
        PinEdit.Result result = PinEdit.apply(crlf, CAA_TAG, SHA);
        assertThat(result.text()).contains("# set by the release\r\n    newTag: " + SHA + "\r\n");
        Golden.assertRevertsExactly(crlf, result, CAA_TAG, SHA);

        String last = "images:\n- name: cloud-api-adaptor\n  newName: quay.io/x/caa";
        PinEdit.Result added = PinEdit.apply(last, CAA_TAG, SHA);
        assertThat(added.text()).isEqualTo(last + "\n  newTag: " + SHA);
        Golden.assertRevertsExactly(last, added, CAA_TAG, SHA);
    }

    @Test
    void refusesWithAClearMessage() {
        assertThatThrownBy(() -> PinEdit.apply(AWS, new Pin.KustomizeImage("webhook", Pin.Field.NEW_TAG), SHA))
                .isInstanceOf(PinException.class)
                .hasMessage("kustomize-image webhook newTag: no entry with name 'webhook' in images (line 6); the names there are"
                        + " cloud-api-adaptor, peerpod-ctrl. Add the image to the kustomization first, or fix the name");
        assertThatThrownBy(() -> PinEdit.apply(AWS, CAA_TAG, "v1:2")).hasMessageContaining("is not a valid image tag");
        assertThatThrownBy(() -> PinEdit.apply(AWS, CAA_TAG, ".v1")).hasMessageContaining("is not a valid image tag");
        assertThatThrownBy(() -> PinEdit.apply(AWS, CAA_DIGEST, "sha256:abc")).hasMessageContaining("is not an image digest");
        assertThatThrownBy(() -> PinEdit.apply(AWS, CAA_DIGEST, DIGEST.toUpperCase())).hasMessageContaining("is not an image digest");
        assertThatThrownBy(() -> PinEdit.apply("kind: Kustomization\n", CAA_TAG, SHA)).hasMessageContaining("no key 'images'");
        assertThatThrownBy(() -> PinEdit.apply("images:\n- name: a\n- name: a\n", new Pin.KustomizeImage("a", Pin.Field.NEW_TAG), "v1"))
                .hasMessageContaining("images has 2 entries named 'a' (lines 2, 3)");
    }

    @Test
    void revertRefusesATagChangedSince() {
        PinEdit.Result result = PinEdit.apply(AZURE, CAA_TAG, SHA);
        String changed = result.text().replace("newTag: " + SHA, "newTag: v9");
        assertThatThrownBy(() -> PinEdit.revert(changed, CAA_TAG, SHA, null, null)).isInstanceOf(PinException.class)
                .hasMessageContaining("is now 'v9', not the pinned '" + SHA + "'");
    }
}
