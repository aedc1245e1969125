package io.dragnet.access;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the policy's groups into a CloudFormation/SAM {@code Resources} fragment: one
 * {@code AWS::Cognito::UserPoolGroup} per group with its own {@code AWS::IAM::Role} (assumable through the identity
 * pool), named {@code dragnet-<group>} so FGAC role mappings can name the ARN ({@link #roleArn}) before the stack exists.
 * The fragment expects the template to define {@code UserPool} and {@code IdentityPool}.
 */
public final class CognitoGroups
{
    private CognitoGroups() {}

    public static String roleArn(String accountId, String group)
    {
        return "arn:aws:iam::" + accountId + ":role/" + roleNameOf(group);
    }

    public static String roleNameOf(String group)
    {
        return "dragnet-" + group;
    }

    public static Map<String, Object> resources(AccessPolicy policy)
    {
        Map<String, Object> resources = new LinkedHashMap<>();
        int precedence = 10;
        for (AccessPolicy.Group group : policy.groups().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
            String logical = logicalId(group.name());
            resources.put(logical + "Role", Map.of(
                    "Type", "AWS::IAM::Role",
                    "Properties", Map.of(
                            "RoleName", roleNameOf(group.name()),
                            "Description", "dragnet group " + group.name() + ": OpenSearch backend role",
                            "AssumeRolePolicyDocument", Map.of(
                                    "Version", "2012-10-17",
                                    "Statement", List.of(Map.of(
                                            "Effect", "Allow",
                                            "Principal", Map.of("Federated", "cognito-identity.amazonaws.com"),
                                            "Action", "sts:AssumeRoleWithWebIdentity",
                                            "Condition", Map.of(
                                                    "StringEquals", Map.of("cognito-identity.amazonaws.com:aud", Map.of("Ref", "IdentityPool")),
                                                    "ForAnyValue:StringLike", Map.of("cognito-identity.amazonaws.com:amr", "authenticated"))))))));
            resources.put(logical, Map.of(
                    "Type", "AWS::Cognito::UserPoolGroup",
                    "Properties", Map.of(
                            "GroupName", group.name(),
                            "Description", group.description(),
                            "Precedence", precedence,
                            "UserPoolId", Map.of("Ref", "UserPool"),
                            "RoleArn", Map.of("Fn::GetAtt", List.of(logical + "Role", "Arn")))));
            precedence += 10;
        }
        return Map.of("Resources", resources);
    }

    static String logicalId(String group)
    {
        StringBuilder id = new StringBuilder("DragnetGroup");
        for (String part : group.split("[-_]")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return id.toString();
    }
}
