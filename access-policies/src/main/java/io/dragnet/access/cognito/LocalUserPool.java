package io.dragnet.access.cognito;

import io.dragnet.access.TokenMinter;
import io.dragnet.contracts.DragnetException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TimeUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * dragnet's user pool in a Cognito user-pool server (cognito-local here; the calls are those of the AWS SDK v2 Cognito
 * client): the pool {@value #POOL_NAME}, its app client {@value #CLIENT_NAME} (USER_PASSWORD_AUTH, ID tokens valid
 * one hour), one Cognito group per policy group, users in groups, and password sign-in.
 */
public final class LocalUserPool
{
    public static final String POOL_NAME = "dragnet";
    public static final String CLIENT_NAME = "dragnet-analysts";

    private final CognitoIdentityProviderClient cognito;
    private final String userPoolId;
    private final String clientId;

    private LocalUserPool(CognitoIdentityProviderClient cognito, String userPoolId, String clientId)
    {
        this.cognito = requireNonNull(cognito, "cognito is null");
        this.userPoolId = requireNonNull(userPoolId, "userPoolId is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
    }

    /** Finds dragnet's pool and app client, creating them the first time. */
    public static LocalUserPool ensure(CognitoIdentityProviderClient cognito)
    {
        return ensure(cognito, POOL_NAME);
    }

    /** Finds the pool named {@code poolName} and its app client, creating them the first time. */
    public static LocalUserPool ensure(CognitoIdentityProviderClient cognito, String poolName)
    {
        String poolId = cognito.listUserPools(request -> request.maxResults(60)).userPools().stream()
                .filter(pool -> pool.name().equals(poolName))
                .map(UserPoolDescriptionType::id)
                .findFirst()
                .orElseGet(() -> cognito.createUserPool(request -> request.poolName(poolName)).userPool().id());
        String clientId = cognito.listUserPoolClients(request -> request.userPoolId(poolId).maxResults(60)).userPoolClients().stream()
                .filter(client -> client.clientName().equals(CLIENT_NAME))
                .map(UserPoolClientDescription::clientId)
                .findFirst()
                .orElseGet(() -> cognito.createUserPoolClient(request -> request.userPoolId(poolId).clientName(CLIENT_NAME)
                        .generateSecret(false)
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH)
                        .idTokenValidity(60)
                        .accessTokenValidity(60)
                        .tokenValidityUnits(units -> units.idToken(TimeUnitsType.MINUTES).accessToken(TimeUnitsType.MINUTES)))
                        .userPoolClient().clientId());
        return new LocalUserPool(cognito, poolId, clientId);
    }

    public String userPoolId()
    {
        return userPoolId;
    }

    /** The audience of the pool's ID tokens. */
    public String clientId()
    {
        return clientId;
    }

    /** The issuer of the pool's tokens. */
    public String issuer()
    {
        return CognitoLocal.ISSUER_DOMAIN + "/" + userPoolId;
    }

    /** Makes the pool's groups exactly {@code groups}; returns one line per group created or deleted. */
    public List<String> syncGroups(Collection<String> groups)
    {
        Set<String> existing = new TreeSet<>(cognito.listGroups(request -> request.userPoolId(userPoolId).limit(60)).groups().stream().map(GroupType::groupName).toList());
        List<String> changes = new ArrayList<>();
        for (String group : new TreeSet<>(groups)) {
            if (!existing.remove(group)) {
                cognito.createGroup(request -> request.userPoolId(userPoolId).groupName(group).description("dragnet access policy group"));
                changes.add("created Cognito group " + group);
            }
        }
        for (String stale : existing) {
            cognito.deleteGroup(request -> request.userPoolId(userPoolId).groupName(stale));
            changes.add("deleted Cognito group " + stale);
        }
        return changes;
    }

    /**
     * Creates the user (or keeps the existing one), sets the password as permanent, and makes the user's groups
     * exactly {@code groups}. Names the token command would refuse are refused here too.
     */
    public void putUser(String username, String password, Collection<String> groups)
    {
        TokenMinter.checkIdentity(username, List.copyOf(groups));
        try {
            cognito.adminGetUser(request -> request.userPoolId(userPoolId).username(username));
        }
        catch (UserNotFoundException e) {
            cognito.adminCreateUser(request -> request.userPoolId(userPoolId).username(username).messageAction(MessageActionType.SUPPRESS));
        }
        cognito.adminSetUserPassword(request -> request.userPoolId(userPoolId).username(username).password(password).permanent(true));
        Set<String> current = new TreeSet<>(cognito.adminListGroupsForUser(request -> request.userPoolId(userPoolId).username(username)).groups().stream()
                .map(GroupType::groupName).toList());
        for (String group : groups) {
            if (!current.remove(group)) {
                cognito.adminAddUserToGroup(request -> request.userPoolId(userPoolId).username(username).groupName(group));
            }
        }
        for (String group : current) {
            cognito.adminRemoveUserFromGroup(request -> request.userPoolId(userPoolId).username(username).groupName(group));
        }
    }

    /** Signs in with USER_PASSWORD_AUTH through the pool's app client. */
    public SignIn signIn(String username, String password)
    {
        try {
            AuthenticationResultType result = cognito.initiateAuth(request -> request.clientId(clientId)
                    .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", username, "PASSWORD", password))).authenticationResult();
            if (result == null || result.idToken() == null) {
                throw DragnetException.user("sign-in of '" + username + "' did not complete (the pool asks for a challenge dragnet does not answer)");
            }
            return new SignIn(result.idToken(), result.accessToken());
        }
        catch (CognitoIdentityProviderException e) {
            throw DragnetException.user("sign-in of '" + username + "' refused: " + e.awsErrorDetails().errorMessage());
        }
    }

    /** The tokens of one sign-in. */
    public record SignIn(String idToken, String accessToken)
    {
        public SignIn
        {
            requireNonNull(idToken, "idToken is null");
            requireNonNull(accessToken, "accessToken is null");
        }
    }
}
