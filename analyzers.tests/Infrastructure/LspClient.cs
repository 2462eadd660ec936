using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Kernel.Analyzers.Tests.Infrastructure;

/// <summary>
/// A minimal Language Server Protocol client over stdio: requests with ids, notifications, and answers to the
/// server's own requests (configuration turns analyzers on; capability registration and progress get null).
/// </summary>
public sealed class LspClient : IDisposable
{
    private readonly Process process;
    private readonly Stream input;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly ConcurrentQueue<JsonNode> notifications = new();
    private readonly StringBuilder log = new();
    private int nextId;

    public LspClient(string executable, string workingDirectory)
    {
        process = Process.Start(new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        input = process.StandardInput.BaseStream;
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        _ = Task.Run(ReadLoopAsync);
    }

    public string Log
    {
        get { lock (log) { return log.ToString(); } }
    }

    public JsonNode[] Notifications => notifications.ToArray();

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref nextId);
        var completion = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = completion;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        if (await Task.WhenAny(completion.Task, Task.Delay(timeout)) != completion.Task)
        {
            throw new TimeoutException($"{method} got no answer within {timeout}. Server log:\n{Log}");
        }

        return await completion.Task;
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private async Task SendAsync(JsonNode message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await input.WriteAsync(header);
        await input.WriteAsync(body);
        await input.FlushAsync();
    }

    private async Task ReadLoopAsync()
    {
        var output = process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                var length = await ReadHeaderAsync(output);
                if (length < 0)
                {
                    return;
                }

                var body = new byte[length];
                await output.ReadExactlyAsync(body);
                var message = JsonNode.Parse(body)!;
                if (message["method"] is { } method && message["id"] is { } requestId)
                {
                    await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId.DeepClone(), ["result"] = Answer(method.GetValue<string>(), message["params"]) });
                }
                else if (message["id"] is { } responseId && pending.TryRemove(responseId.GetValue<int>(), out var completion))
                {
                    completion.SetResult(message["result"]);
                }
                else
                {
                    notifications.Enqueue(message);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or JsonException)
        {
            foreach (var completion in pending.Values)
            {
                completion.TrySetException(exception);
            }
        }
    }

    private static JsonNode? Answer(string method, JsonNode? parameters)
    {
        if (method != "workspace/configuration")
        {
            return null;
        }

        var answers = new JsonArray();
        foreach (var _ in parameters?["items"]?.AsArray() ?? new JsonArray())
        {
            answers.Add(new JsonObject { ["analyzersEnabled"] = true });
        }

        return answers;
    }

    private static async Task<int> ReadHeaderAsync(Stream stream)
    {
        var line = new StringBuilder();
        var length = -1;
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return -1;
            }

            if (one[0] == '\n')
            {
                var text = line.ToString().TrimEnd('\r');
                line.Clear();
                if (text.Length == 0)
                {
                    return length;
                }

                if (text.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(text.Substring("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            else
            {
                line.Append((char)one[0]);
            }
        }
    }
}
