package io.letterlock.service.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ApiKeysFileTest {

    @Test
    void findsTheAccountOfAPlainKey() {
        ApiKeysFile keys = ApiKeysFile.parse(List.of("alice:SG.alice-key"));
        assertThat(keys.accountForKey("SG.alice-key")).contains(new Account("alice", Optional.empty()));
        assertThat(keys.accountForKey("SG.alice-ke")).isEmpty();
    }

    @Test
    void acceptsKeysStoredAsSha256Hashes() {
        ApiKeysFile keys = ApiKeysFile.parse(List.of("bob:" + ApiKeysFile.hashedForm("secret")));
        assertThat(keys.accountForKey("secret")).map(Account::id).contains("bob");
        assertThat(keys.accountForKey(ApiKeysFile.hashedForm("secret"))).isEmpty();
    }

    @Test
    void recordsTheParentOfASubuser() {
        ApiKeysFile keys = ApiKeysFile.parse(List.of("parent:p-key", "child:c-key:parent", "keyless::parent"));
        assertThat(keys.account("child")).map(Account::parentId).contains(Optional.of("parent"));
        assertThat(keys.account("keyless")).map(Account::parentId).contains(Optional.of("parent"));
        assertThat(keys.accountForKey("")).isEmpty();
    }

    @Test
    void skipsCommentsAndBlankLines() {
        ApiKeysFile keys = ApiKeysFile.parse(List.of("# demo accounts", "", "   ", "a:k1"));
        assertThat(keys.size()).isEqualTo(1);
    }

    @Test
    void badLinesAreReportedByNumberWithoutTheirContent() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ApiKeysFile.parse(List.of("a:k1", "broken-line-with-secret")))
                .withMessageContaining("line 2")
                .withMessageNotContaining("secret");
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeysFile.parse(List.of("a/b:key")));
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeysFile.parse(List.of("a:key:a")));
        assertThatIllegalArgumentException().isThrownBy(() -> ApiKeysFile.parse(List.of("a:k:p:extra")));
    }

    @Test
    void oneKeyCannotBelongToTwoAccounts() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ApiKeysFile.parse(List.of("a:same", "b:same")))
                .withMessageContaining("line 2");
    }
}
