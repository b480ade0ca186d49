using WelfareAudit.Http.Identity;

namespace WelfareAudit.LocalHost;

/// <summary>Puts <see cref="RequestOrigin.CaptureSocket"/> in front of every other middleware.</summary>
internal sealed class SocketCaptureFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            RequestOrigin.CaptureSocket(context);
            return nextMiddleware(context);
        });
        next(app);
    };
}
