package io.dragnet.infra;

import io.dragnet.contracts.DragnetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** infra-sam/template.yaml parses with its CloudFormation tags, matches the workflow definition, and keeps IAM narrow. */
final class TestTemplate
{
    private static final Path ROOT = io.dragnet.storage.RepositoryPaths.root();
    private static final Path TEMPLATE = ROOT.resolve("infra-sam/template.yaml");
    private static final Path DEFINITION = ROOT.resolve("statemachine/daily-run.asl.json");
    // Actions that support no resource-level permissions (or, for RunJobFlow, none known before the cluster exists).
    private static final Set<String> STAR_ONLY_ACTIONS = Set.of("ec2:DescribeSpotPriceHistory", "pricing:GetProducts", "elasticmapreduce:RunJobFlow", "elasticmapreduce:ListClusters",
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
            "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups");

    @Test
    void parsesWithShortFormTags()
    {
        Map<String, Object> template = CloudFormationTemplate.load(TEMPLATE);
        Map<String, Object> resources = map(template.get("Resources"));
        assertThat(resources).containsKeys("LakeBucket", "RulesBucket", "WorkBucket", "ResultsBucket", "LogsBucket", "GenerateJobsFunction",
                "PublishFunction", "RecordRunCostFunction", "DailyRunStateMachine", "DailySchedule", "EmrServiceRole", "EmrInstanceRole",
                "SearchDomain", "UserPool", "IdentityPool", "NidsKafka", "NidsEndpoint", "FetchFeedsFunction");
        Map<String, Object> machine = map(map(resources.get("DailyRunStateMachine")).get("Properties"));
        assertThat(map(machine.get("DefinitionSubstitutions")).get("EmrServiceRoleArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("EmrServiceRole", "Arn")));
        assertThat(map(map(machine.get("DefinitionSubstitutions")).get("LogsBucket"))).containsEntry("Ref", "LogsBucket");
    }

    @Test
    @SuppressWarnings("unchecked")
    void cognitoGroupsAreExactlyTheGroupsOfTheAccessPolicy()
            throws IOException
    {
        // the groups live in the nested templates the root names (the access policy's generated AWS binding)
        List<Map<String, Object>> templates = new ArrayList<>(List.of(CloudFormationTemplate.load(TEMPLATE)));
        for (Object resource : map(templates.get(0).get("Resources")).values()) {
            Map<String, Object> definition = (Map<String, Object>) resource;
            if ("AWS::Serverless::Application".equals(definition.get("Type"))) {
                templates.add(CloudFormationTemplate.load(TEMPLATE.resolveSibling((String) map(definition.get("Properties")).get("Location"))));
            }
        }
        Set<String> templateGroups = new java.util.TreeSet<>();
        for (Map<String, Object> template : templates) {
            for (Object resource : map(template.get("Resources")).values()) {
                Map<String, Object> definition = (Map<String, Object>) resource;
                if ("AWS::Cognito::UserPoolGroup".equals(definition.get("Type"))) {
                    templateGroups.add((String) ((Map<String, Object>) definition.get("Properties")).get("GroupName"));
                }
            }
        }
        Map<String, Object> policy = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("samples/access-policy.yaml")));
        Set<String> policyGroups = new java.util.TreeSet<>(((Map<String, Object>) policy.get("groups")).keySet());
        assertThat(templateGroups).isEqualTo(policyGroups);
    }

    @Test
    void everySubstitutionInTheWorkflowsIsDefined()
            throws IOException
    {
        assertThat(substitutionsUsed("DailyRunStateMachine", DEFINITION))
                .contains("GenerateJobsFunctionArn", "PublishFunctionArn", "RecordRunCostFunctionArn", "LogsBucket");
        assertThat(substitutionsUsed("RunEndedStateMachine", ROOT.resolve("statemachine/run-ended.asl.json")))
                .containsExactlyInAnyOrder("CleanupRunClustersFunctionArn", "RecordRunCostFunctionArn", "ResultsLocation");
    }

    @Test
    void theRunEndedWorkflowStartsWhenADailyRunEndsBadly()
    {
        Map<String, Object> resources = map(CloudFormationTemplate.load(TEMPLATE).get("Resources"));
        Map<String, Object> rule = map(map(map(map(resources.get("RunEndedStateMachine")).get("Properties")).get("Events")).get("DailyRunEndedUnfinished"));
        Map<String, Object> pattern = map(map(rule.get("Properties")).get("Pattern"));
        assertThat(pattern.get("detail-type")).isEqualTo(List.of("Step Functions Execution Status Change"));
        assertThat(map(pattern.get("detail")).get("status")).isEqualTo(List.of("FAILED", "TIMED_OUT", "ABORTED"));
        assertThat(map(pattern.get("detail")).get("stateMachineArn")).isEqualTo(List.of(Map.of("Ref", "DailyRunStateMachine")));
    }

    /** The ${Name}s a definition uses, after checking that the state machine deploys that file and defines every one. */
    private static Set<String> substitutionsUsed(String stateMachine, Path definition)
            throws IOException
    {
        Map<String, Object> machine = map(map(map(CloudFormationTemplate.load(TEMPLATE).get("Resources")).get(stateMachine)).get("Properties"));
        assertThat(ROOT.resolve("infra-sam").resolve((String) machine.get("DefinitionUri")).normalize()).isEqualTo(definition.normalize());
        Set<String> used = new LinkedHashSet<>();
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(Files.readString(definition));
        while (matcher.find()) {
            used.add(matcher.group(1));
        }
        assertThat(map(machine.get("DefinitionSubstitutions")).keySet()).as(stateMachine).containsAll(used);
        return used;
    }

    @Test
    void everyBucketIsEncryptedPrivateAndExpires()
    {
        Map<String, Object> resources = map(CloudFormationTemplate.load(TEMPLATE).get("Resources"));
        List<String> buckets = resources.entrySet().stream()
                .filter(entry -> "AWS::S3::Bucket".equals(map(entry.getValue()).get("Type"))).map(Map.Entry::getKey).toList();
        assertThat(buckets).hasSize(5);
        for (String bucket : buckets) {
            Map<String, Object> properties = map(map(resources.get(bucket)).get("Properties"));
            assertThat(properties).as(bucket).containsKeys("BucketEncryption", "PublicAccessBlockConfiguration", "LifecycleConfiguration");
            assertThat(map(properties.get("PublicAccessBlockConfiguration")).values()).as(bucket).containsOnly(true);
        }
    }

    @Test
    void iamPoliciesNameNoWildcardResourceWhereOneIsKnown()
    {
        List<String> problems = new ArrayList<>();
        Map<String, Object> resources = map(CloudFormationTemplate.load(TEMPLATE).get("Resources"));
        resources.forEach((name, resource) -> statements(resource, name, problems));
        assertThat(problems).isEmpty();
    }

    @Test
    void emrUsesOnlyNetworkTaggedForTheManagedPolicy()
            throws IOException
    {
        String tag = "for-use-with-amazon-emr-managed-policies";
        Map<String, Object> resources = map(CloudFormationTemplate.load(TEMPLATE).get("Resources"));
        assertThat(map(map(resources.get("EmrServiceRole")).get("Properties")).get("ManagedPolicyArns").toString()).contains("AmazonEMRServicePolicy_v2");
        Map<String, Object> substitutions = map(map(map(resources.get("DailyRunStateMachine")).get("Properties")).get("DefinitionSubstitutions"));
        com.fasterxml.jackson.databind.JsonNode createCluster = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(DEFINITION.toFile()).path("States").path("CreateCluster").path("Parameters");
        com.fasterxml.jackson.databind.JsonNode instances = createCluster.path("Instances");
        for (String field : List.of("EmrManagedMasterSecurityGroup", "EmrManagedSlaveSecurityGroup", "ServiceAccessSecurityGroup")) {
            String substitution = instances.path(field).asText().replaceAll("^\\$\\{(.+)}$", "$1");
            Object reference = map(substitutions.get(substitution)).get("Ref");
            Map<String, Object> group = map(resources.get(reference));
            assertThat(group.get("Type")).as(field).isEqualTo("AWS::EC2::SecurityGroup");
            List<Object> tags = List.copyOf((List<?>) map(group.get("Properties")).get("Tags"));
            assertThat(tags).as(field).contains(Map.of("Key", tag, "Value", "true"));
        }
        assertThat(createCluster.path("Tags").toString()).as("the cluster carries the tag RunJobFlow's condition asks for")
                .contains("{\"Key\":\"" + tag + "\",\"Value\":\"true\"}");
        assertThat(map(map(map(CloudFormationTemplate.load(TEMPLATE).get("Parameters")).get("SubnetIds"))).get("Description").toString()).contains(tag);
    }

    @Test
    @SuppressWarnings("unchecked")
    void emrNodesWriteTheLakeOnlyWhereCompactionAndTheRawLogImportWriteIt()
    {
        Map<String, Object> role = map(map(CloudFormationTemplate.load(TEMPLATE).get("Resources")).get("EmrInstanceRole"));
        List<String> lakeWrites = new ArrayList<>();
        for (Object policy : (List<Object>) map(role.get("Properties")).get("Policies")) {
            for (Object statement : (List<Object>) map(map(policy).get("PolicyDocument")).get("Statement")) {
                Map<String, Object> rule = map(statement);
                String actions = rule.get("Action").toString();
                String resources = rule.get("Resource").toString();
                if (resources.contains("LakeBucket") && (actions.contains("Put") || actions.contains("Delete"))) {
                    lakeWrites.add(resources);
                }
            }
        }
        assertThat(lakeWrites).containsExactly("{Fn::Sub=${LakeBucket.Arn}/nids_verdicts/*}", "{Fn::Sub=${LakeBucket.Arn}/zeek_*}");
    }

    /**
     * The daily run names the raw Zeek folder, in the lake bucket the EMR nodes read, and its import step writes the
     * sources the importer names ({@code zeek_<log>}), which the role lets it put and nothing else.
     */
    @Test
    void theDailyRunImportsRawZeekLogsFromTheLakeBucketIntoTheZeekSources()
            throws IOException
    {
        Map<String, Object> resources = map(CloudFormationTemplate.load(TEMPLATE).get("Resources"));
        String dailyInput = map(map(map(map(resources.get("DailySchedule")).get("Properties")).get("Target")).get("Input")).toString();
        assertThat(Pattern.compile(Pattern.quote("\"rawLocation\": \"s3://${LakeBucket}/raw/zeek/\"")).matcher(dailyInput).results().count())
                .as("both schedule inputs name the raw folder").isEqualTo(2);
        assertThat(io.dragnet.contracts.ZeekLogNames.source("conn.00:00:00-01:00:00.log.gz")).contains("zeek_conn");
        String definition = Files.readString(ROOT.resolve("statemachine/daily-run.asl.json"));
        assertThat(definition).contains("'io.dragnet.sparkjobs.lake.LakeImportJob', '${SparkJobsJarUri}'");
    }

    /**
     * FetchFeeds runs the handler of query-generator-lambda's zip on a schedule, writes only the snapshots folder, and
     * writes it where GenerateJobs reads feed:<name>: the iocs folder beside the daily run's rules folder.
     */
    @Test
    @SuppressWarnings("unchecked")
    void fetchFeedsWritesTheSnapshotsWhereTheDailyRunsRulesReadThem()
    {
        Map<String, Object> resources = map(CloudFormationTemplate.load(TEMPLATE).get("Resources"));
        Map<String, Object> function = map(map(resources.get("FetchFeedsFunction")).get("Properties"));
        assertThat(function).containsEntry("Handler", "io.dragnet.rules.feeds.FetchFeedsHandler::handleRequest")
                .containsEntry("CodeUri", map(map(resources.get("GenerateJobsFunction")).get("Properties")).get("CodeUri"));
        Map<String, Object> refresh = map(map(map(function.get("Events")).get("Refresh")).get("Properties"));
        assertThat(map(refresh.get("ScheduleExpression"))).containsEntry("Ref", "FeedsScheduleExpression");
        String input = map(refresh.get("Input")).get("Fn::Sub").toString();
        assertThat(input).contains("\"feedsFile\": \"s3://${RulesBucket}/feeds.yaml\"").contains("\"snapshotsLocation\": \"s3://${RulesBucket}/iocs/snapshots\"");
        String dailyInput = map(map(map(map(resources.get("DailySchedule")).get("Properties")).get("Target")).get("Input")).toString();
        assertThat(dailyInput).as("the default feed folder of GenerateJobs is the iocs folder beside the rules folder").contains("\"rulesLocation\": \"s3://${RulesBucket}/rules/\"");
        List<String> writes = new ArrayList<>();
        for (Object policy : (List<Object>) function.get("Policies")) {
            Object statements = map(policy).get("Statement");
            if (statements != null) {
                ((List<Object>) statements).forEach(statement -> writes.add(map(statement).get("Action") + " " + map(statement).get("Resource")));
            }
        }
        assertThat(writes).containsExactly("s3:PutObject {Fn::Sub=arn:${AWS::Partition}:s3:::${RulesBucket}/iocs/snapshots/*}");
    }

    @Test
    void onlyWhatADeployerMustOwnIsRequiredAndTheReadmeListsEveryParameter()
            throws IOException
    {
        Map<String, Object> parameters = map(CloudFormationTemplate.load(TEMPLATE).get("Parameters"));
        List<String> required = parameters.entrySet().stream().filter(entry -> !map(entry.getValue()).containsKey("Default")).map(Map.Entry::getKey).toList();
        assertThat(required).containsExactlyInAnyOrder("VpcId", "SubnetIds", "SecurityGroupIds", "OpenSearchAdminRoleArn", "CognitoDomainPrefix");
        String readme = Files.readString(ROOT.resolve("infra-sam/README.md"));
        for (String parameter : parameters.keySet()) {
            assertThat(readme).as("README parameter table").contains("| " + parameter + " |");
        }
        for (String parameter : required) {
            assertThat(readme).contains("| " + parameter + " | — (required) |");
        }
        // samconfig.toml sets only parameters the template has, never a required one (that is the deployer's), and its
        // header names exactly the required ones
        String samconfig = Files.readString(ROOT.resolve("infra-sam/samconfig.toml"));
        Matcher override = Pattern.compile("^\\s*\"(\\w+)=", Pattern.MULTILINE).matcher(samconfig);
        List<String> overridden = new ArrayList<>();
        while (override.find()) {
            overridden.add(override.group(1));
        }
        assertThat(overridden).isNotEmpty().allSatisfy(name -> assertThat(parameters).as("samconfig.toml parameter_overrides").containsKey(name))
                .doesNotContainAnyElementsOf(required);
        String header = samconfig.substring(0, samconfig.indexOf("version ="));
        for (String parameter : required) {
            assertThat(header).as("samconfig.toml names the required parameter").contains(parameter);
        }
    }

    @Test
    void wildcardCheckCatchesABroadStatement(@TempDir Path temp)
            throws IOException
    {
        Path broad = temp.resolve("broad.yaml");
        Files.writeString(broad, """
                Resources:
                  Role:
                    Type: AWS::IAM::Role
                    Properties:
                      Policies:
                        - PolicyName: too-broad
                          PolicyDocument:
                            Statement:
                              - Effect: Allow
                                Action: [s3:GetObject]
                                Resource: '*'
                """);
        List<String> problems = new ArrayList<>();
        map(CloudFormationTemplate.load(broad).get("Resources")).forEach((name, resource) -> statements(resource, name, problems));
        assertThat(problems).singleElement().asString().contains("Role", "s3:GetObject");
    }

    @Test
    void reportsYamlErrorsWithLine(@TempDir Path temp)
            throws IOException
    {
        Path bad = temp.resolve("bad.yaml");
        Files.writeString(bad, "Resources:\n  A: [unclosed\n");
        assertThatThrownBy(() -> CloudFormationTemplate.load(bad)).isInstanceOf(DragnetException.class).hasMessageContaining("bad.yaml:");
    }

    /** Walks every Statement list under a resource and flags Resource '*' used with actions that could name a resource. */
    private static void statements(Object node, String where, List<String> problems)
    {
        if (node instanceof Map<?, ?> object) {
            Object statement = object.get("Statement");
            if (statement instanceof List<?> list) {
                for (Object entry : list) {
                    Map<String, Object> rule = map(entry);
                    if ("Allow".equals(rule.get("Effect")) && isStar(rule.get("Resource"))) {
                        List<String> actions = rule.get("Action") instanceof List<?> many ? many.stream().map(String::valueOf).toList() : List.of(String.valueOf(rule.get("Action")));
                        List<String> narrowable = actions.stream().filter(action -> !STAR_ONLY_ACTIONS.contains(action)).toList();
                        if (!narrowable.isEmpty()) {
                            problems.add(where + ": Resource '*' for " + narrowable);
                        }
                    }
                }
            }
            // A KMS key policy's Resource '*' means the key itself.
            object.forEach((key, value) -> {
                if (!"KeyPolicy".equals(key)) {
                    statements(value, where, problems);
                }
            });
        }
        else if (node instanceof List<?> list) {
            list.forEach(value -> statements(value, where, problems));
        }
    }

    private static boolean isStar(Object resource)
    {
        return "*".equals(resource) || resource instanceof List<?> list && list.contains("*");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value)
    {
        return (Map<String, Object>) value;
    }
}
